"""The example application's inbound-SMS webhook: a Flask app Twilio calls when someone
texts one of the service's short codes. It answers only requests signed by Twilio."""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator

app = Flask(__name__)
SUBSCRIBERS: set[str] = set()


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
    if word == "JOIN":
        SUBSCRIBERS.add(sender)
        reply = "Welcome! Text STOP to leave."
    elif word == "STOP":
        SUBSCRIBERS.discard(sender)
        reply = "You will get no more alerts."
    else:
        reply = "Text JOIN for alerts or STOP to leave."
    twiml = f"<Response><Message>{escape(reply)}</Message></Response>"
    return Response(twiml, mimetype="text/xml")
