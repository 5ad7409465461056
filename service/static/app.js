// berita-annotator: the editors' page. Plain script, no dependencies, no build step.
//
// Submits an article to POST /v1/annotations, polls GET /v1/jobs/{id} and renders the result: entities
// highlighted by type, boilerplate greyed out, sentence sentiment in the margin, the events as a table and a
// small who-acts-on-whom graph. Every result is read with ?offsets=utf16, so JavaScript's text.slice(start, end)
// is exactly a span's text, emoji included.
//
// Security: article text and result strings only ever reach the page through textContent / createTextNode /
// setAttribute, never through innerHTML. The API key lives in localStorage and goes out only as an
// Authorization header to this origin.
"use strict";

(function () {
  const KEY_STORAGE = "berita-annotator.api-key";
  const EXPORTS = [
    { format: "json", label: "JSON", type: "application/json" },
    { format: "conllu", label: "CoNLL-U", type: "text/plain;charset=utf-8" },
    { format: "webannotation", label: "Web Annotation", type: "application/json" },
    { format: "brat", label: "brat", type: "text/plain;charset=utf-8" },
  ];
  const QUADS = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];
  const BOILERPLATE = { dateline: "dateline", related_link: "related link", credit: "credit", caption: "caption" };
  const SENTIMENT_SIGN = { positive: "+", neutral: "·", negative: "−" };
  const ENDED = new Set(["finished", "failed", "canceled"]);
  const SVG = "http://www.w3.org/2000/svg";

  const $ = (id) => document.getElementById(id);
  const state = { key: "", samples: [], job: null, text: "", timer: null, started: 0, leaves: [], selected: null };

  // ------------------------------------------------------------------------------------------ small helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "className") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  function slug(value) {
    return String(value).toLowerCase().replace(/[^a-z0-9]+/g, "-");
  }

  function showMessage(text, kind) {
    const box = $("message");
    box.replaceChildren();
    if (!text) {
      box.hidden = true;
      return;
    }
    box.className = "message " + (kind || "error");
    if (Array.isArray(text)) text.forEach((line, i) => box.append(i ? el("div", { text: line }) : el("strong", { text: line })));
    else box.textContent = text;
    box.hidden = false;
  }

  // ------------------------------------------------------------------------------------------ API key

  function setKey(value, note) {
    state.key = (value || "").trim();
    if (state.key) localStorage.setItem(KEY_STORAGE, state.key);
    else localStorage.removeItem(KEY_STORAGE);
    $("api-key").value = state.key;
    $("key-state").textContent = note || (state.key ? "key saved in this browser" : "no key");
  }

  // A link like http://host/#key=bk_... hands a key over (make run prints one). The fragment never reaches the
  // server; it is read here, saved, and taken out of the address bar (and the history) at once, so that it
  // does not end up in bookmarks, screenshots or screen shares.
  function keyFromLink() {
    if (location.hash.length <= 1) return false;
    const params = new URLSearchParams(location.hash.slice(1));
    const key = params.get("key");
    if (key === null) return false;
    params.delete("key");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
    if (key) setKey(key, "key taken from the link and saved");
    return Boolean(key);
  }

  function initKey() {
    if (!keyFromLink()) setKey(localStorage.getItem(KEY_STORAGE) || "");
    window.addEventListener("hashchange", keyFromLink);
    $("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      setKey($("api-key").value);
      showMessage("");
    });
    $("key-forget").addEventListener("click", () => setKey(""));
  }

  // ------------------------------------------------------------------------------------------ HTTP

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (state.key) headers.Authorization = "Bearer " + state.key;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      return { status: 0, body: { title: "Network error", detail: "the service did not answer: " + err.message } };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = { title: response.statusText || "Error", detail: "the answer is not JSON" };
    }
    return { status: response.status, body: data, headers: response.headers };
  }

  function problemLines(result) {
    const body = result.body || {};
    if (result.status === 401) {
      return [state.key ? "The API key was refused." : "This server needs an API key.",
        (state.key ? "It is unknown or revoked (" + (body.detail || "401") + "). " : "") +
        "Enter a valid key in the “API key” field at the top of the page, save it, and submit again."];
    }
    const lines = [(body.title || "Error") + (result.status ? " (" + result.status + ")" : ""), body.detail || ""];
    if (result.status === 429 && result.headers && result.headers.get("Retry-After")) {
      lines.push("Retry after " + result.headers.get("Retry-After") + " s.");
    }
    const flatten = (errors, prefix) => {
      for (const [field, messages] of Object.entries(errors || {})) {
        if (Array.isArray(messages)) lines.push(prefix + field + ": " + messages.join(" "));
        else if (messages && typeof messages === "object") flatten(messages, prefix + field + ".");
      }
    };
    flatten(body.errors, "");
    return lines.filter(Boolean);
  }

  function reportProblem(result) {
    showMessage(problemLines(result), "error");
    if (result.status === 401) $("api-key").focus();
  }

  // ------------------------------------------------------------------------------------------ samples

  async function loadSamples() {
    try {
      const response = await fetch("/static/samples.json");
      state.samples = await response.json();
    } catch (err) {
      state.samples = [];
    }
    const select = $("sample");
    state.samples.forEach((sample, i) => select.append(el("option", { value: String(i), text: sample.label || sample.id })));
    select.addEventListener("change", () => {
      const sample = state.samples[Number(select.value)];
      if (!sample) return;
      $("text").value = sample.text;
      $("doc-title").value = sample.title || "";
      $("doc-id").value = sample.id || "";
      $("published-at").value = sample.published_at || "";
    });
  }

  // ------------------------------------------------------------------------------------------ jobs

  function stopPolling() {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
  }

  function showJob(job) {
    state.job = job;
    $("job").hidden = false;
    $("job-id").textContent = job.job_id;
    const badge = $("job-status");
    badge.textContent = job.status + (job.attempts > 1 ? " (attempt " + job.attempts + ")" : "");
    badge.dataset.status = job.status;
    $("job-elapsed").textContent = ((Date.now() - state.started) / 1000).toFixed(1) + " s";
    $("cancel").hidden = ENDED.has(job.status);
  }

  async function submit(event) {
    event.preventDefault();
    stopPolling();
    showMessage("");
    const text = $("text").value;
    if (!text.trim()) {
      showMessage("Paste an article or pick a sample first.");
      return;
    }
    const tasks = Array.from(document.querySelectorAll("input[name=task]:checked")).map((box) => box.value);
    if (!tasks.length) {
      showMessage("Choose at least one task.");
      return;
    }
    const payload = { text, tasks };
    for (const [field, id] of [["title", "doc-title"], ["id", "doc-id"], ["published_at", "published-at"]]) {
      const value = $(id).value.trim();
      if (value) payload[field] = value;
    }
    const query = new URLSearchParams({ offsets: "utf16" });
    if ($("include-boilerplate").checked) query.set("include_boilerplate", "true");
    $("submit").disabled = true;
    $("result").hidden = true;
    delete $("result").dataset.ready;
    $("exports").hidden = true;
    state.started = Date.now();
    state.text = text;
    const result = await api("POST", "/v1/annotations?" + query, payload);
    $("submit").disabled = false;
    if (result.status !== 200 && result.status !== 202) {
      $("job").hidden = true;
      reportProblem(result);
      return;
    }
    handleJob(result.body);
  }

  function handleJob(job) {
    showJob(job);
    if (job.status === "finished") {
      render(job.result, state.text);
      showExports(job.job_id);
    } else if (job.status === "failed") {
      const error = job.error || {};
      showMessage(["The job failed: " + (error.title || "error"), error.detail || ""]);
    } else if (job.status === "canceled") {
      showMessage("The job was canceled.", "info");
    } else {
      const elapsed = Date.now() - state.started;
      state.timer = setTimeout(() => poll(job.job_id), elapsed < 5000 ? 300 : elapsed < 30000 ? 800 : 2000);
    }
  }

  async function poll(jobId) {
    state.timer = null;
    const result = await api("GET", "/v1/jobs/" + encodeURIComponent(jobId) + "?offsets=utf16");
    if (!state.job || state.job.job_id !== jobId) return;  // another submission since
    if (result.status !== 200) {
      reportProblem(result);
      if (result.status >= 500 || result.status === 0 || result.status === 429) {
        state.timer = setTimeout(() => poll(jobId), 3000);  // transient: keep watching
      }
      return;
    }
    handleJob(result.body);
  }

  async function cancel() {
    if (!state.job) return;
    stopPolling();
    const result = await api("DELETE", "/v1/jobs/" + encodeURIComponent(state.job.job_id));
    if (result.status === 200) handleJob(result.body);
    else {
      reportProblem(result);
      poll(state.job.job_id);
    }
  }

  // Export links work with a plain click even when the API needs a key: the click fetches with the
  // Authorization header and opens the answer from a blob. The href stays the real URL, to copy for curl.
  function showExports(jobId) {
    const links = $("export-links");
    links.replaceChildren();
    for (const spec of EXPORTS) {
      const url = "/v1/jobs/" + encodeURIComponent(jobId) + "?format=" + spec.format;
      const link = el("a", { href: url, className: "export", "data-format": spec.format, text: spec.label });
      link.addEventListener("click", (event) => {
        event.preventDefault();
        openExport(url, spec, jobId);
      });
      links.append(link, " ");
    }
    $("exports").hidden = false;
  }

  async function openExport(url, spec, jobId) {
    const headers = {};
    if (state.key) headers.Authorization = "Bearer " + state.key;
    let response;
    try {
      response = await fetch(url, { headers });
    } catch (err) {
      showMessage("Network error: " + err.message);
      return;
    }
    if (!response.ok) {
      let body = {};
      try { body = await response.json(); } catch (err) { body = {}; }
      reportProblem({ status: response.status, body, headers: response.headers });
      return;
    }
    const blob = new Blob([await response.arrayBuffer()], { type: spec.type });
    const objectUrl = URL.createObjectURL(blob);
    // Not "noopener": window.open would then always return null. The blob is this origin's own data.
    const opened = window.open(objectUrl, "_blank");
    if (!opened) {  // popup blocked: download instead
      const name = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
      const a = el("a", { href: objectUrl, download: name ? name[1] : jobId + "." + spec.format });
      document.body.append(a);
      a.click();
      a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(objectUrl), 60000);
  }

  // ------------------------------------------------------------------------------------------ offsets

  // Results read with ?offsets=utf16 already index JavaScript strings. A code point result (read elsewhere)
  // is converted span by span here, so a flag emoji before an entity cannot shift its highlight.
  function offsetMapper(result, text) {
    if (result.offsets === "utf16") return (i) => i;
    const map = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
      map.push(i + 1);
    }
    return (i) => map[Math.min(i, map.length - 1)];
  }

  function normalise(result, text) {
    const at = offsetMapper(result, text);
    const span = (s) => (s ? Object.assign({}, s, { start: at(s.start), end: at(s.end) }) : s);
    return {
      sentences: (result.sentences || []).map(span),
      entities: (result.entities || []).map(span),
      boilerplate: (result.boilerplate || []).map(span),
      events: (result.events || []).map((ev) => Object.assign({}, ev, {
        trigger: span(ev.trigger), source: span(ev.source), target: span(ev.target),
        location: span(ev.location), date: span(ev.date), reported_by: span(ev.reported_by),
      })),
      sentiment: result.sentiment,
    };
  }

  // ------------------------------------------------------------------------------------------ text view

  function lines(text) {
    const out = [];
    const breaks = /\r\n|[\n\r\u2028\u2029]/g;
    let start = 0;
    let match;
    while ((match = breaks.exec(text)) !== null) {
      out.push({ start, end: match.index });
      start = match.index + match[0].length;
    }
    out.push({ start, end: text.length });
    return out;
  }

  // Spans of one non-overlapping layer (sentences, entities, boilerplate), looked up by position.
  function layer(spans) {
    const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
    return (pos) => {
      let lo = 0, hi = sorted.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid].end <= pos) lo = mid + 1;
        else if (sorted[mid].start > pos) hi = mid - 1;
        else return sorted[mid];
      }
      return null;
    };
  }

  function sentimentTitle(sentence, label) {
    const s = sentence.sentiment;
    const pct = (x) => Math.round(x * 100) + "%";
    return label + ": " + s.label + " (positive " + pct(s.scores.positive) + ", neutral " + pct(s.scores.neutral) +
      ", negative " + pct(s.scores.negative) + ")";
  }

  function renderText(data, text) {
    const container = $("annotated");
    container.replaceChildren();
    state.leaves = [];
    const sentenceAt = layer(data.sentences);
    const entityAt = layer(data.entities);
    const boilerplateAt = layer(data.boilerplate);
    const triggers = data.events.map((ev) => ev.trigger).filter(Boolean);
    const cuts = new Set();
    for (const s of [...data.sentences, ...data.entities, ...data.boilerplate]) cuts.add(s.start).add(s.end);
    for (const ev of data.events) {
      for (const s of [ev.trigger, ev.source, ev.target, ev.date, ev.location, ev.reported_by]) {
        if (s) cuts.add(s.start).add(s.end);
      }
    }
    const sortedCuts = [...cuts].sort((a, b) => a - b);
    let cut = 0;  // lines come in text order: one pass over the cuts for the whole text
    const marksAt = new Map();  // line index -> sentences starting there
    const allLines = lines(text);
    const lineOf = (pos) => {
      let lo = 0, hi = allLines.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (allLines[mid].start <= pos) lo = mid; else hi = mid - 1;
      }
      return lo;
    };
    for (const sentence of data.sentences) {
      const index = lineOf(sentence.start);
      if (!marksAt.has(index)) marksAt.set(index, []);
      marksAt.get(index).push(sentence);
    }

    allLines.forEach((line, lineIndex) => {
      const margin = el("div", { className: "margin" });
      for (const sentence of marksAt.get(lineIndex) || []) {
        if (!sentence.sentiment) continue;
        const label = "Sentence " + (sentence.index + 1);
        const mark = el("button", {
          type: "button", className: "sent-mark sent-" + sentence.sentiment.label, "data-sentence": sentence.index,
          title: sentimentTitle(sentence, label), "aria-label": sentimentTitle(sentence, label),
          text: SENTIMENT_SIGN[sentence.sentiment.label] || "?",
        });
        const toggle = (on) => () => highlightSentence(sentence.index, on);
        mark.addEventListener("mouseenter", toggle(true));
        mark.addEventListener("mouseleave", toggle(false));
        mark.addEventListener("focus", toggle(true));
        mark.addEventListener("blur", toggle(false));
        margin.append(mark);
      }
      const body = el("div", { className: "line-text" });
      let pos = line.start;
      let entityNode = null;
      let entity = null;
      const edges = [];
      while (cut < sortedCuts.length && sortedCuts[cut] <= line.start) cut++;
      while (cut < sortedCuts.length && sortedCuts[cut] < line.end) edges.push(sortedCuts[cut++]);
      edges.push(line.end);
      for (const edge of edges) {
        if (edge <= pos) continue;
        const leaf = el("span", { className: "leaf" }, text.slice(pos, edge));
        const sentence = sentenceAt(pos);
        const bp = boilerplateAt(pos);
        if (sentence) leaf.dataset.s = String(sentence.index);
        if (bp) {
          leaf.classList.add("bp", "bp-" + slug(bp.kind));
          leaf.title = BOILERPLATE[bp.kind] || bp.kind;
        }
        if (triggers.some((t) => t.start <= pos && edge <= t.end)) leaf.classList.add("trigger");
        state.leaves.push({ node: leaf, start: pos, end: edge });
        const here = entityAt(pos);
        if (here !== entity) {
          entity = here;
          entityNode = null;
          if (here) {
            entityNode = el("mark", {
              className: "ent ent-" + slug(here.type), "data-type": here.type, "data-entity": here.id,
              title: here.type + ": " + here.text,
            });
            body.append(entityNode);
          }
        }
        (entityNode || body).append(leaf);
        pos = edge;
      }
      const row = el("div", { className: "line" + (line.end === line.start ? " blank" : "") }, margin, body);
      container.append(row);
    });
  }

  function highlightSentence(index, on) {
    for (const leaf of state.leaves) {
      if (leaf.node.dataset.s === String(index)) leaf.node.classList.toggle("sent-hover", on);
    }
  }

  function onTextClick(event) {
    const leaf = event.target.closest && event.target.closest(".trigger");
    if (!leaf) return;
    const item = state.leaves.find((l) => l.node === leaf);
    if (!item) return;
    const index = state.data.events.findIndex((ev) => ev.trigger && ev.trigger.start <= item.start && item.end <= ev.trigger.end);
    if (index >= 0) selectEvent(index, true);
  }

  // ------------------------------------------------------------------------------------------ events

  function actorName(mention) {
    return mention ? mention.actor.name : null;
  }

  function evidenceNode(ev, data, text) {
    const node = el("span", { className: "evidence" });
    const sentence = data.sentences.find((s) => s.index === ev.sentence);
    if (sentence && ev.trigger && text.slice(sentence.start, sentence.end) === ev.evidence &&
        ev.trigger.start >= sentence.start && ev.trigger.end <= sentence.end) {
      node.append(text.slice(sentence.start, ev.trigger.start),
        el("b", { text: text.slice(ev.trigger.start, ev.trigger.end) }), text.slice(ev.trigger.end, sentence.end));
    } else {
      node.textContent = ev.evidence;
    }
    return node;
  }

  function renderEvents(data, text) {
    const tbody = $("events").querySelector("tbody");
    tbody.replaceChildren();
    $("no-events").hidden = data.events.length > 0;
    $("events").hidden = data.events.length === 0;
    data.events.forEach((ev, index) => {
      const flags = [];
      if (ev.negated) flags.push(el("span", { className: "flag", text: "negated" }));
      if (ev.hypothetical) flags.push(el("span", { className: "flag", text: "hypothetical" }));
      if (ev.reported_by) flags.push(el("span", { className: "flag", text: "reported: " + ev.reported_by.text }));
      const date = ev.date ? (ev.date.resolved || ev.date.text) : "—";
      const who = el("td", { className: "who" },
        el("span", { className: "actor source", title: ev.source.text, text: actorName(ev.source) }),
        " → ",
        el("span", { className: "etype q-" + slug(ev.quad_class), title: ev.quad_class + (ev.mode ? ", " + ev.mode : ""), text: ev.type }),
        " → ",
        ev.target ? el("span", { className: "actor target", title: ev.target.text, text: actorName(ev.target) })
          : el("span", { className: "muted", text: "—" }),
        ...flags);
      const row = el("tr", { tabindex: "0", "data-event": ev.id, className: "q-row-" + slug(ev.quad_class) },
        el("td", { className: "date", title: ev.date ? ev.date.text : "no date", text: date }),
        who,
        el("td", {}, evidenceNode(ev, data, text)));
      row.addEventListener("click", () => selectEvent(index, false));
      row.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          selectEvent(index, false);
        }
      });
      tbody.append(row);
    });
  }

  function selectEvent(index, fromText) {
    const ev = state.data.events[index];
    const classes = ["hl-sentence", "hl-trigger", "hl-source", "hl-target", "hl-date", "hl-location"];
    for (const leaf of state.leaves) leaf.node.classList.remove(...classes);
    document.querySelectorAll("#events tr.selected").forEach((row) => row.classList.remove("selected"));
    if (state.selected === index && !fromText) {  // a second click clears
      state.selected = null;
      return;
    }
    state.selected = index;
    const mark = (span, cls) => {
      if (!span) return null;
      let first = null;
      for (const leaf of state.leaves) {
        if (leaf.start >= span.start && leaf.end <= span.end) {
          leaf.node.classList.add(cls);
          first = first || leaf.node;
        }
      }
      return first;
    };
    for (const leaf of state.leaves) {
      if (leaf.node.dataset.s === String(ev.sentence)) leaf.node.classList.add("hl-sentence");
    }
    mark(ev.source, "hl-source");
    mark(ev.target, "hl-target");
    mark(ev.date, "hl-date");
    mark(ev.location, "hl-location");
    const trigger = mark(ev.trigger, "hl-trigger");
    const row = document.querySelector('#events tr[data-event="' + CSS.escape(ev.id) + '"]');
    if (row) row.classList.add("selected");
    const target = fromText ? row : trigger;
    if (target) target.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  // ------------------------------------------------------------------------------------------ graph

  function dominant(counts) {
    let best = null;
    for (const quad of QUADS) if (counts[quad] && (!best || counts[quad] > counts[best])) best = quad;
    return best || QUADS[0];
  }

  function renderGraph(data) {
    const graph = $("graph");
    graph.replaceChildren();
    const nodes = new Map();
    const edges = new Map();
    const touch = (name, quad) => {
      if (!nodes.has(name)) nodes.set(name, { name, count: 0, quads: {} });
      const node = nodes.get(name);
      node.count += 1;
      node.quads[quad] = (node.quads[quad] || 0) + 1;
    };
    data.events.forEach((ev, index) => {
      const source = actorName(ev.source);
      const target = actorName(ev.target);
      touch(source, ev.quad_class);
      if (target && target !== source) {
        touch(target, ev.quad_class);
        const key = source + "\u0000" + target;
        if (!edges.has(key)) edges.set(key, { source, target, count: 0, quads: {}, events: [] });
        const edge = edges.get(key);
        edge.count += 1;
        edge.quads[ev.quad_class] = (edge.quads[ev.quad_class] || 0) + 1;
        edge.events.push(index);
      }
    });
    const width = 720, height = 380;
    graph.setAttribute("viewBox", "0 0 " + width + " " + height);
    if (!nodes.size) {
      graph.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "muted" }, "No actors."));
      renderQuadLegend();
      return;
    }
    const MAX = 16;
    const shown = [...nodes.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, MAX);
    const place = new Map();
    const radius = Math.min(width, height) / 2 - 60;
    shown.forEach((node, i) => {
      const angle = shown.length === 1 ? 0 : (2 * Math.PI * i) / shown.length - Math.PI / 2;
      place.set(node.name, {
        x: width / 2 + (shown.length === 1 ? 0 : radius * 1.45 * Math.cos(angle)),
        y: height / 2 + (shown.length === 1 ? 0 : radius * Math.sin(angle)),
        r: 7 + 4 * Math.sqrt(node.count),
        cos: shown.length === 1 ? 0 : Math.cos(angle),
        sin: shown.length === 1 ? 1 : Math.sin(angle),
      });
    });
    const defs = svg("defs");
    for (const quad of QUADS) {
      defs.append(svg("marker", { id: "arrow-" + slug(quad), viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "q-fill-" + slug(quad) })));
    }
    graph.append(defs);
    for (const edge of edges.values()) {
      const a = place.get(edge.source), b = place.get(edge.target);
      if (!a || !b) continue;
      const quad = dominant(edge.quads);
      const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
      const reverse = edges.has(edge.target + "\u0000" + edge.source);
      const bend = reverse ? 28 : 0;  // both directions: two arcs instead of one line drawn twice
      const mx = (a.x + b.x) / 2 - (dy / len) * bend, my = (a.y + b.y) / 2 + (dx / len) * bend;
      const sx = a.x + (dx / len) * a.r, sy = a.y + (dy / len) * a.r;
      const ex = b.x - (dx / len) * (b.r + 2), ey = b.y - (dy / len) * (b.r + 2);
      const path = svg("path", {
        d: "M" + sx + "," + sy + " Q" + mx + "," + my + " " + ex + "," + ey,
        class: "edge q-stroke-" + slug(quad), "stroke-width": 1.5 + Math.min(edge.count, 6),
        "marker-end": "url(#arrow-" + slug(quad) + ")", "data-events": edge.events.join(" "),
        onclick: () => selectEvent(edge.events[0], true),
      }, svg("title", {}, edge.source + " → " + edge.target + ": " + edge.count + " event" + (edge.count > 1 ? "s" : "") +
        " (" + Object.entries(edge.quads).map(([q, n]) => q + " " + n).join(", ") + ")"));
      graph.append(path);
    }
    for (const node of shown) {
      const p = place.get(node.name);
      const quad = dominant(node.quads);
      const group = svg("g", { class: "node", "data-actor": node.name },
        svg("circle", { cx: p.x, cy: p.y, r: p.r, class: "q-fill-" + slug(quad) }),
        // the name outside the ring, where the arrows (which cross the ring) do not run
        svg("text", {
          x: p.x + p.cos * (p.r + 5), y: p.y + p.sin * (p.r + 5) + (p.sin > 0.5 ? 10 : p.sin < -0.5 ? -2 : 4),
          "text-anchor": p.cos > 0.3 ? "start" : p.cos < -0.3 ? "end" : "middle",
        }, node.name.length > 28 ? node.name.slice(0, 27) + "…" : node.name),
        svg("text", { x: p.x, y: p.y + 4, "text-anchor": "middle", class: "count" }, node.count),
        svg("title", {}, node.name + ": " + node.count + " event" + (node.count > 1 ? "s" : "") + " (" +
          Object.entries(node.quads).map(([q, n]) => q + " " + n).join(", ") + ")"));
      graph.append(group);
    }
    if (nodes.size > MAX) {
      graph.append(svg("text", { x: 8, y: height - 8, class: "muted" }, "and " + (nodes.size - MAX) + " more actors"));
    }
    renderQuadLegend();
  }

  function renderQuadLegend() {
    const legend = $("quad-legend");
    legend.replaceChildren(...QUADS.map((quad) => el("span", { className: "key" },
      el("span", { className: "swatch q-bg-" + slug(quad) }), quad)));
  }

  // ------------------------------------------------------------------------------------------ result

  function render(result, text) {
    const data = normalise(result, text);
    state.data = data;
    state.selected = null;
    renderText(data, text);
    const counts = {};
    for (const e of data.entities) counts[e.type] = (counts[e.type] || 0) + 1;
    $("legend").replaceChildren(...Object.keys(counts).sort().map((type) =>
      el("span", { className: "key" }, el("mark", { className: "ent ent-" + slug(type), "data-type": type }),
        " " + counts[type])),
    el("span", { className: "key" }, el("span", { className: "bp swatch-text", text: "boilerplate" })));
    const doc = $("doc-sentiment");
    doc.replaceChildren();
    if (data.sentiment) {
      doc.append("Document sentiment: ", el("span", {
        className: "sent-label sent-" + data.sentiment.label, text: data.sentiment.label,
        title: "positive " + data.sentiment.scores.positive.toFixed(2) + ", neutral " +
          data.sentiment.scores.neutral.toFixed(2) + ", negative " + data.sentiment.scores.negative.toFixed(2),
      }));
    }
    renderEvents(data, text);
    renderGraph(data);
    const section = $("result");
    section.hidden = false;
    section.dataset.ready = "true";
    for (const warning of result.warnings || []) showMessage(["Warning: " + warning.code, warning.message], "info");
  }

  // ------------------------------------------------------------------------------------------ start

  document.addEventListener("DOMContentLoaded", () => {
    initKey();
    loadSamples();
    $("article-form").addEventListener("submit", submit);
    $("cancel").addEventListener("click", cancel);
    $("annotated").addEventListener("click", onTextClick);
  });
})();
