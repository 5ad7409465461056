"""Thin views: parse, call service.jobs, serialize."""
