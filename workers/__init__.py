"""RQ side of the service: the Stanza pipeline, annotators and the job the queue runs. Never imports Flask."""
