"""The playground screen and its parts: panels, status line, loss chart, views."""
