"""Twilio calling the application: inbound SMS webhooks and signed status callbacks,
over HTTP or to a WSGI app in-process."""
