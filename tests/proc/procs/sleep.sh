#!/bin/sh
# Sleeps without ever reporting (exec: the proc's pid is sleep's own).
exec sleep "$@"
