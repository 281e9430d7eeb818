"""Scripted chat sockets for Chromium: the visitor's and the agent's, answering as docs/chat-protocol.md says.

Playwright's `route_web_socket` stands in for the server, so a page served by the WSGI live server can
show every screen of the chat (the accessibility run) and each edge of the panel's state machine can be
reached on purpose (test_chat_panel.py). The real server is exercised in test_chat.py.
"""
import json
import re

VISITOR_SOCKET = re.compile(r".*/ws/chat/$")
AGENT_SOCKET = re.compile(r".*/ws/chat/agent/$")


class VisitorSocket:
    """The visitor's socket: joined and queue on start, echo of messages, closed on end, rated, transcript."""

    def __init__(self, page, *, refuse=False, replay_all=False):
        self.refuse = refuse
        # A careless server replays everything: the panel must still show each message once.
        self.replay_all = replay_all
        self.frames = []
        self.sockets = []
        self.next_id = 1
        self.history = []
        page.route_web_socket(VISITOR_SOCKET, self._connect)

    def _connect(self, ws):
        if self.refuse:
            ws.close(code=1011)
            return
        self.sockets.append(ws)
        ws.on_message(lambda message: self._receive(ws, json.loads(message)))

    def _receive(self, ws, frame):
        self.frames.append(frame)
        kind = frame["type"]
        if kind == "start":
            ws.send(json.dumps({"type": "joined", "conversation": {"id": 7, "state": "waiting", "topic": frame["topic"]}}))
            ws.send(json.dumps({"type": "queue", "position": 2, "estimated_wait_seconds": 240}))
        elif kind == "resume":
            for message in self.history:
                if message["id"] > frame["after"] or self.replay_all:
                    ws.send(json.dumps(message))
        elif kind == "message":
            known = next((m for m in self.history if m["client_id"] == frame["client_id"]), None)
            self.push(known or self.message("visitor", frame["text"], frame["client_id"]))
        elif kind == "end":
            self.push({"type": "closed", "by": "visitor", "request_reference": "SC-2026-000042", "request_url": None})
        elif kind == "leave_request":
            self.push({"type": "request_created", "reference": "SC-2026-000043", "url": None})
        elif kind == "rate":
            self.push({"type": "rated", "rating": frame["rating"]})
        elif kind == "transcript":
            self.push({"type": "transcript_sent", "email": "v***@example.com"})

    def message(self, author, text, client_id=None, name=""):
        message = {"type": "message", "id": self.next_id, "conversation": 7, "author": author, "name": name,
                   "text": text, "sent_at": "2026-12-01T10:00:00+01:00", "client_id": client_id}
        self.next_id += 1
        self.history.append(message)
        return message

    def push(self, frame):
        self.sockets[-1].send(json.dumps(frame))


WAITING = [
    {"id": 41, "topic": "tracking", "topic_label": "Suivi de commande", "visitor_name": "Alice", "waited_seconds": 95,
     "order_number": "RK-2026-000001"},
    {"id": 42, "topic": "account", "topic_label": "Gestion du compte", "visitor_name": "Vera", "waited_seconds": 20,
     "order_number": None},
]
CONTEXT = {
    "visitor": {"name": "Bob", "email": "bob@example.com", "account": True, "admin_url": "/admin/auth/user/2/change/"},
    "order": {"number": "RK-2026-000007", "url": "/admin/orders/order/7/change/"},
    "orders": [{"number": "RK-2026-000007", "status": "Livrée", "url": "/admin/orders/order/7/change/"}],
    "claims": [], "requests": [{"reference": "SC-2026-000003", "status": "Close", "url": "/admin/helpdesk/contactrequest/3/change/"}],
}


class AgentSocket:
    """The agent's socket: the queue and one conversation already held, with a message each way."""

    def __init__(self, page):
        self.frames = []
        self.sockets = []
        page.route_web_socket(AGENT_SOCKET, self._connect)
        page.route(re.compile(r".*/contexte/$"), lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(CONTEXT)))

    def _connect(self, ws):
        self.sockets.append(ws)
        ws.on_message(lambda message: self._receive(ws, json.loads(message)))
        ws.send(json.dumps({"type": "queue", "waiting": WAITING}))
        ws.send(json.dumps({"type": "agents", "available": [{"id": 99, "first_name": "Marie", "free_seats": 2}]}))
        ws.send(json.dumps({"type": "taken", "conversation": {
            "id": 40, "topic": "purchase", "topic_label": "Achat", "visitor_name": "Bob", "order_number": "RK-2026-000007",
            "context_url": "/admin/helpdesk/conversation/40/contexte/"}}))

    def _receive(self, ws, frame):
        self.frames.append(frame)
        if frame["type"] == "presence":
            ws.send(json.dumps({"type": "presence", "status": frame["status"], "capacity": 3, "active": 1}))
        elif frame["type"] == "resume" and frame["conversation"] == 40:
            for number, (author, text) in enumerate([("visitor", "Bonjour, puis-je payer en 4 fois ?"),
                                                     ("agent", "Bonjour Bob, oui, sauf en livraison express.")], 1):
                ws.send(json.dumps({"type": "message", "id": number, "conversation": 40, "author": author,
                                    "name": "Bob" if author == "visitor" else "Agent", "text": text,
                                    "sent_at": "2026-12-01T10:00:00+01:00", "client_id": None}))
            ws.send(json.dumps({"type": "typing", "conversation": 40, "on": True}))
