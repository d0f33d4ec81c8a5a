"""The example application's webhooks: a Flask app Twilio calls when someone texts one of
the service's short codes (``/sms``), and when an alert changes status (``/status``). It
answers only requests signed by Twilio.

A standalone short code gets no help from Twilio with STOP and HELP: the application
answers them (carriers require it). In a Messaging Service with Advanced Opt-Out, Twilio
answers them and marks the message ``OptOutType``; the application then stays quiet."""

from __future__ import annotations

import os
from typing import Optional
from xml.sax.saxutils import escape

from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator

app = Flask(__name__)
SUBSCRIBERS: set[str] = set()
DELIVERY: dict[str, str] = {}  # message SID -> its last status
HELP = "Alerts: reply JOIN for alerts, STOP to leave. Msg&data rates may apply."


def _twilio_signed() -> bool:
    validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
    url = request.base_url  # as requested: request.url re-decodes the query string
    if request.query_string:
        url += "?" + request.query_string.decode()
    params = request.form.to_dict() if request.method == "POST" else {}
    return validator.validate(url, params, request.headers.get("X-Twilio-Signature", ""))


@app.route("/sms", methods=["POST"])
def inbound_sms() -> Response:
    if not _twilio_signed():
        abort(403)
    sender, word = request.form["From"], request.form["Body"].strip().upper()
    opt_out_type = request.form.get("OptOutType")  # Advanced Opt-Out: Twilio replied
    if word == "JOIN":
        SUBSCRIBERS.add(sender)
        reply: Optional[str] = "Welcome! Text STOP to leave."
    elif word == "STOP" or opt_out_type == "STOP":
        SUBSCRIBERS.discard(sender)
        reply = None if opt_out_type else "You will get no more alerts."
    elif opt_out_type:  # START or HELP, answered by Twilio
        reply = None
    elif word in ("HELP", "INFO"):
        reply = HELP
    else:
        reply = "Text JOIN for alerts or STOP to leave."
    message = f"<Message>{escape(reply)}</Message>" if reply else ""
    return Response(f"<Response>{message}</Response>", mimetype="text/xml")


@app.route("/status", methods=["POST"])
def message_status() -> Response:
    if not _twilio_signed():
        abort(403)
    DELIVERY[request.form["MessageSid"]] = request.form["MessageStatus"]
    return Response(status=204)
