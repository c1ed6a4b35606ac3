#!/usr/bin/env python3
"""A real SMTP server for OncoMail's tests (Debian: python3-aiosmtpd).

Listens on 127.0.0.1:PORT and writes each accepted message to DIR as N.eml (the bytes
received, dot-stuffing already undone by aiosmtpd) and N.json (envelope plus what Python's
e-mail parser decodes: subject, bodies, headers), so tests can assert on both.

    smtp-test-server.py --port 2525 --dir /tmp/out [--auth USER:PASS] [--auth-mechanisms LOGIN]
                        [--reject-recipient ADDR ...] [--tls-cert C --tls-key K]

Prints "ready" once the server accepts connections; runs until SIGTERM or SIGINT.
"""
import argparse
import email
import email.policy
import itertools
import json
import pathlib
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class SavingHandler:
    def __init__(self, directory, rejected):
        self.directory = pathlib.Path(directory)
        self.rejected = {address.lower() for address in rejected}
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.rejected:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        number = next(self.counter)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth": session.auth_data,  # {"user", "mechanism"} from the authenticator below
            "tls": session.ssl is not None,
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "headers": {key: str(value) for key, value in message.items()},
            "content_type": message.get_content_type(),
            "text": plain.get_content() if plain is not None else None,
            "html": html.get_content() if html is not None else None,
            "defects": [repr(defect) for defect in message.defects],
        }
        (self.directory / f"{number}.eml").write_bytes(raw)
        temporary = self.directory / f"{number}.json.tmp"
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.rename(self.directory / f"{number}.json")  # a test never reads half a file
        return "250 2.0.0 Message accepted for delivery"


def main():
    # aiosmtpd warns about AUTH without TLS, which a loopback test server wants.
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth", help="USER:PASS; AUTH is then required")
    parser.add_argument("--auth-mechanisms", help="space-separated subset of 'PLAIN LOGIN' to offer")
    parser.add_argument("--reject-recipient", action="append", default=[])
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    options = parser.parse_args()

    settings = {}
    if options.auth:
        user, password = options.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False, auth_data={"user": user, "mechanism": mechanism} if ok else None)

        settings.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
        if options.auth_mechanisms:
            offered = set(options.auth_mechanisms.split())
            settings["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m not in offered]
    if options.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.tls_cert, options.tls_key)
        settings.update(tls_context=context, require_starttls=True)

    controller = Controller(
        SavingHandler(options.dir, options.reject_recipient),
        hostname="127.0.0.1", port=options.port, decode_data=False, **settings)
    controller.start()
    print("ready", flush=True)

    stop = threading.Event()
    # A parent may hand down a signal mask that blocks these; unblock so SIGTERM works.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    # Also stop when the test that started us dies and closes our standard input.
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
