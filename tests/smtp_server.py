"""A small SMTP server on a local port, for tests and bench/: it keeps what it receives, and can misbehave.

`hang_up_after_data=N` makes it take the next N messages whole, then hang up before answering "250"
(the ambiguous failure: the message may well be delivered, yet the client sees an error).
"""
import socketserver
import threading
from email import message_from_bytes, policy
from email.parser import BytesHeaderParser


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        server = self.server.owner
        server.connected()
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 sink")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                server.received(b"".join(lines))
                if server.take_a_hang_up():
                    return  # the message is in, the client never hears "250"
                self.reply("250 OK queued")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpServer:
    """Start with `with SmtpServer() as smtp:`; `smtp.port`, `smtp.messages` (parsed), `smtp.count`, `smtp.connections`."""

    def __init__(self, *, hang_up_after_data: int = 0, keep_messages: bool = True):
        self._lock = threading.Lock()
        self._hang_ups = hang_up_after_data
        self._keep = keep_messages
        self.raw = []
        self.count = 0
        self.connections = 0
        self.message_ids = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]

    def received(self, data: bytes):
        message = BytesHeaderParser(policy=policy.default).parsebytes(data)
        with self._lock:
            self.count += 1
            self.message_ids.append(message["Message-ID"])
            if self._keep:
                self.raw.append(data)

    def connected(self):
        with self._lock:
            self.connections += 1

    def take_a_hang_up(self) -> bool:
        with self._lock:
            if self._hang_ups > 0:
                self._hang_ups -= 1
                return True
            return False

    @property
    def messages(self):
        with self._lock:
            return [message_from_bytes(data, policy=policy.default) for data in self.raw]

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
