// The agents' console (docs/chat-protocol.md): presence with a heartbeat, the queue, several conversations in tabs.
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const root = document.querySelector(".chat-console");
  if (!root || !("WebSocket" in window)) {
    return;
  }
  const config = root.dataset;
  const $ = (selector, scope = root) => scope.querySelector(selector);
  const strings = {};
  root.querySelectorAll("[data-console-string]").forEach((el) => { strings[el.dataset.consoleString] = el.textContent; });
  const t = (key, params = {}) => (strings[key] || "").replace(/%\((\w+)\)s/g, (mark, name) => (name in params ? params[name] : mark));

  const RETRY_MAX_MS = 15000;
  const TYPING_IDLE_MS = 3000;
  const baseTitle = document.title;
  const state = {
    socket: null,
    retries: 0,
    presence: config.presence === "available" ? "available" : "away",
    pendingPresence: null,  // the agent's choice, until the server answers it
    heartbeat: null,
    queue: [],
    queueAt: Date.now(),
    seenWaiting: null,      // ids seen in the queue (null until the first queue frame: no alert for those)
    agents: [],
    conversations: new Map(), // id -> {info, lastId, seen, pending, elements, typingOn, typingTimer, ended}
    selected: null,
  };

  // ---- Connection and presence ----------------------------------------------------------------------------
  function send(frame) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function setConnection(text) {
    $("[data-console-connection]").textContent = text;
  }

  function sendPresence() {
    send({ type: "presence", status: state.presence });
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + window.location.host + config.wsPath);
    state.socket = socket;
    socket.addEventListener("open", () => {
      state.retries = 0;
      setConnection(t("connected"));
      sendPresence();
      window.clearInterval(state.heartbeat);
      state.heartbeat = window.setInterval(sendPresence, Number(config.heartbeatSeconds || 30) * 1000);
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      handle(frame);
    });
    socket.addEventListener("close", (event) => {
      window.clearInterval(state.heartbeat);
      if (state.socket !== socket) {
        return;
      }
      state.socket = null;
      if (event.code === 4403) {
        setConnection(t("refused"));
        return;
      }
      setConnection(t("disconnected"));
      const delay = Math.min(RETRY_MAX_MS, 1000 * 2 ** state.retries);
      state.retries += 1;
      window.setTimeout(connect, delay);
    });
  }

  root.querySelectorAll("input[name=presence]").forEach((input) => {
    input.checked = input.value === state.presence;
    input.addEventListener("change", () => {
      state.presence = input.value;
      // Frames already on their way (the answer to the connection's own heartbeat) still carry the old status:
      // the agent's choice stands until the server answers this one.
      state.pendingPresence = input.value;
      sendPresence();
    });
  });

  // ---- Frames ---------------------------------------------------------------------------------------------
  function handle(frame) {
    switch (frame.type) {
      case "queue": return onQueue(frame.waiting || []);
      case "agents": return onAgents(frame.available || []);
      case "presence": return onPresence(frame);
      case "taken": return onTaken(frame.conversation);
      case "take_refused": return alert(frame.message);
      case "transferred": return onTransferred(frame);
      case "message": return onMessage(frame);
      case "typing": return onTyping(frame);
      case "closed": return onClosed(frame);
      case "error": return alert(frame.message);
      default: return undefined;
    }
  }

  function alert(text, { flash } = {}) {
    const box = $("[data-console-alert]");
    box.hidden = !text;
    box.textContent = text || "";
    if (flash) {
      box.classList.remove("is-flashing");
      // Restart the animation for a second alert in a row.
      void box.offsetWidth;
      box.classList.add("is-flashing");
    }
  }

  function onPresence(frame) {
    if (frame.status && state.pendingPresence) {
      if (frame.status !== state.pendingPresence) frame = { ...frame, status: undefined };
      else state.pendingPresence = null;
    }
    if (frame.status) {
      state.presence = frame.status;
      root.querySelectorAll("input[name=presence]").forEach((input) => { input.checked = input.value === frame.status; });
    }
    if (frame.capacity !== undefined) {
      $("[data-console-capacity]").textContent = frame.capacity;
    }
    if (frame.active !== undefined) {
      $("[data-console-active]").textContent = frame.active;
    }
  }

  // ---- The queue ------------------------------------------------------------------------------------------
  function duration(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    const minutes = Math.floor(whole / 60);
    return minutes ? t("minutes_seconds", { minutes, seconds: whole % 60 }) : t("seconds", { seconds: whole });
  }

  function beep() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) {
      return;
    }
    const context = new Context();
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = 880;
    gain.gain.value = 0.1;
    oscillator.connect(gain).connect(context.destination);
    oscillator.start();
    oscillator.stop(context.currentTime + 0.2);
    oscillator.addEventListener("ended", () => context.close());
  }

  function onQueue(waiting) {
    state.queue = waiting;
    state.queueAt = Date.now();
    const fresh = state.seenWaiting ? waiting.filter((item) => !state.seenWaiting.has(item.id)) : [];
    state.seenWaiting = new Set(waiting.map((item) => item.id));
    renderQueue(new Set(fresh.map((item) => item.id)));
    document.title = waiting.length ? `(${waiting.length}) ${baseTitle}` : baseTitle;
    if (fresh.length) {
      const item = fresh[fresh.length - 1];
      alert(t("new_visitor", { name: item.visitor_name, topic: item.topic_label }), { flash: true });
      if ($("[data-console-sound]").checked) {
        beep();
      }
    }
  }

  function renderQueue(freshIds) {
    const groups = $("[data-console-queue-groups]");
    const focusedId = document.activeElement && document.activeElement.dataset.take;
    groups.replaceChildren();
    $("[data-console-queue-count]").textContent = String(state.queue.length);
    $("[data-console-queue-empty]").hidden = state.queue.length > 0;
    // By topic, each topic in the order of its oldest visitor; the server sends them oldest first.
    const byTopic = new Map();
    state.queue.forEach((item) => {
      if (!byTopic.has(item.topic)) {
        byTopic.set(item.topic, { label: item.topic_label, items: [] });
      }
      byTopic.get(item.topic).items.push(item);
    });
    byTopic.forEach((group, topic) => {
      const section = document.createElement("section");
      section.className = "console-topic";
      const heading = document.createElement("h3");
      heading.id = `console-topic-${topic}`;
      heading.textContent = `${group.label} (${group.items.length})`;
      const list = document.createElement("ul");
      list.setAttribute("aria-labelledby", heading.id);
      group.items.forEach((item) => {
        const row = document.createElement("li");
        row.className = "console-queue-item";
        row.dataset.testid = "queue-item";
        row.dataset.conversation = String(item.id);
        if (freshIds && freshIds.has(item.id)) {
          row.classList.add("is-new");
        }
        const who = document.createElement("span");
        who.className = "console-queue-who";
        const name = document.createElement("strong");
        name.textContent = item.visitor_name;
        who.appendChild(name);
        if (item.order_number) {
          who.append(` · ${t("order", { number: item.order_number })}`);
        }
        const waited = document.createElement("span");
        waited.className = "console-waited";
        waited.dataset.waitedSeconds = String(item.waited_seconds || 0);
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button default";
        button.dataset.take = String(item.id);
        button.textContent = t("take");
        button.setAttribute("aria-label", t("take_label", { name: item.visitor_name }));
        button.addEventListener("click", () => {
          button.disabled = true;
          send({ type: "take", conversation: item.id });
        });
        row.append(who, waited, button);
        list.appendChild(row);
      });
      section.append(heading, list);
      groups.appendChild(section);
    });
    tickWaits();
    if (focusedId) {
      const again = groups.querySelector(`[data-take="${focusedId}"]`);
      (again || $("#console-queue-title")).focus();
    }
  }

  function tickWaits() {
    const elapsed = (Date.now() - state.queueAt) / 1000;
    root.querySelectorAll("[data-waited-seconds]").forEach((el) => {
      el.textContent = t("waited", { duration: duration(Number(el.dataset.waitedSeconds) + elapsed) });
    });
  }
  window.setInterval(tickWaits, 1000);
  $("#console-queue-title").tabIndex = -1;

  // ---- Agents (for transfers) -----------------------------------------------------------------------------
  function onAgents(available) {
    state.agents = available.filter((agent) => String(agent.id) !== config.agentId);
    state.conversations.forEach((conversation) => fillTransfer(conversation));
  }

  function fillTransfer(conversation) {
    const select = conversation.el.transfer;
    const chosen = select.value;
    select.replaceChildren();
    if (!state.agents.length) {
      const option = document.createElement("option");
      option.value = "";
      option.textContent = t("no_agent");
      select.appendChild(option);
    }
    state.agents.forEach((agent) => {
      const option = document.createElement("option");
      option.value = String(agent.id);
      option.textContent = agent.free_seats !== undefined ? t("seats", { name: agent.first_name, seats: agent.free_seats }) : agent.first_name;
      select.appendChild(option);
    });
    select.value = chosen;
    if (select.selectedIndex < 0) {
      select.selectedIndex = 0;
    }
    const disabled = !state.agents.length || conversation.ended;
    select.disabled = disabled;
    conversation.el.transferButton.disabled = disabled;
  }

  // ---- Conversations in tabs ------------------------------------------------------------------------------
  const tabs = $("[data-console-tabs]");
  const panels = $("[data-console-panels]");
  const template = $("template[data-console-conversation]");

  function select(id, { focus } = {}) {
    state.selected = id;
    state.conversations.forEach((conversation, key) => {
      const on = key === id;
      conversation.el.tab.setAttribute("aria-selected", String(on));
      conversation.el.tab.tabIndex = on ? 0 : -1;
      conversation.el.panel.hidden = !on;
      if (on) {
        conversation.unread = 0;
        conversation.el.badge.hidden = true;
      }
    });
    const current = state.conversations.get(id);
    if (current && focus) {
      current.el.message.focus();
    }
  }

  tabs.addEventListener("keydown", (event) => {
    const ids = Array.from(state.conversations.keys());
    // From the tab that has the focus (the selected one, unless the agent tabbed elsewhere).
    const focused = ids.find((id) => state.conversations.get(id).el.tab === event.target);
    const index = ids.indexOf(focused !== undefined ? focused : state.selected);
    let next = null;
    if (event.key === "ArrowRight") next = ids[(index + 1) % ids.length];
    if (event.key === "ArrowLeft") next = ids[(index - 1 + ids.length) % ids.length];
    if (event.key === "Home") next = ids[0];
    if (event.key === "End") next = ids[ids.length - 1];
    if (next !== null && next !== undefined) {
      event.preventDefault();
      select(next);
      state.conversations.get(next).el.tab.focus();
    }
  });

  function updateEmpty() {
    $("[data-console-no-conversation]").hidden = state.conversations.size > 0;
    const active = Array.from(state.conversations.values()).filter((conversation) => !conversation.ended).length;
    $("[data-console-active]").textContent = String(active);
  }

  function onTaken(info) {
    const existing = state.conversations.get(info.id);
    if (existing) {
      existing.info = info;
      send({ type: "resume", conversation: info.id, after: existing.lastId });
      return;
    }
    const fragment = template.content.cloneNode(true);
    const panel = fragment.querySelector("[role=tabpanel]");
    const field = (name) => panel.querySelector(`[data-field="${name}"]`);
    const id = info.id;
    panel.id = `console-panel-${id}`;
    const tab = document.createElement("button");
    tab.type = "button";
    tab.setAttribute("role", "tab");
    tab.id = `console-tab-${id}`;
    tab.className = "console-tab";
    tab.dataset.testid = "conversation-tab";
    tab.setAttribute("aria-controls", panel.id);
    tab.textContent = info.visitor_name;
    const badge = document.createElement("span");
    badge.className = "console-badge";
    badge.hidden = true;
    tab.appendChild(badge);
    tab.addEventListener("click", () => select(id, { focus: true }));
    panel.setAttribute("aria-labelledby", tab.id);
    panel.dataset.conversation = String(id);
    panel.dataset.testid = "conversation";

    field("title").textContent = info.visitor_name;
    field("topic").textContent = info.order_number ? `${info.topic_label} · ${t("order", { number: info.order_number })}` : info.topic_label;
    field("log-box").setAttribute("aria-label", t("messages_of", { name: info.visitor_name }));
    const messageId = `console-message-${id}`;
    field("message").id = messageId;
    field("composer-label").htmlFor = messageId;
    field("composer-label").textContent = t("reply_to", { name: info.visitor_name });
    const transferId = `console-transfer-${id}`;
    field("transfer").id = transferId;
    field("transfer-label").htmlFor = transferId;
    field("transfer-label").textContent = t("transfer_to", { name: info.visitor_name });
    field("context").setAttribute("aria-label", t("context_of", { name: info.visitor_name }));

    const conversation = {
      info, lastId: 0, seen: new Set(), pending: new Map(), unread: 0, typingOn: false, typingTimer: null, ended: false,
      el: {
        tab, badge, panel, log: field("log"), logBox: field("log-box"), typing: field("typing"), message: field("message"), transfer: field("transfer"),
        transferButton: field("transfer-button"), actions: field("actions"), composer: field("composer"),
        confirm: field("confirm"), close: field("close"), ended: field("ended"), endedText: field("ended-text"),
        context: field("context-body"),
      },
    };
    state.conversations.set(id, conversation);
    wireConversation(conversation, field);
    tabs.appendChild(tab);
    panels.appendChild(fragment);
    fillTransfer(conversation);
    loadContext(conversation);
    updateEmpty();
    select(id, { focus: state.conversations.size === 1 || document.activeElement?.dataset.take === String(id) });
    send({ type: "resume", conversation: id, after: 0 });
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
  }

  function wireConversation(conversation, field) {
    const id = conversation.info.id;
    const { message, composer } = conversation.el;
    const setTyping = (on) => {
      window.clearTimeout(conversation.typingTimer);
      if (on) {
        conversation.typingTimer = window.setTimeout(() => setTyping(false), TYPING_IDLE_MS);
      }
      if (conversation.typingOn !== on) {
        conversation.typingOn = on;
        send({ type: "typing", conversation: id, on });
      }
    };
    message.addEventListener("input", () => setTyping(Boolean(message.value.trim())));
    message.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
    composer.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = message.value.trim();
      if (!text || conversation.ended) {
        return;
      }
      const clientId = uuid();
      const element = messageElement("agent", t("you"), text, null);
      element.classList.add("is-pending");
      conversation.el.log.appendChild(element);
      conversation.pending.set(clientId, element);
      message.value = "";
      setTyping(false);
      send({ type: "message", conversation: id, text, client_id: clientId });
      scroll(conversation);
    });
    conversation.el.transferButton.addEventListener("click", () => {
      const agent = Number(conversation.el.transfer.value);
      if (agent) {
        send({ type: "transfer", conversation: id, agent });
      }
    });
    conversation.el.close.addEventListener("click", () => {
      conversation.el.close.hidden = true;
      conversation.el.confirm.hidden = false;
      field("close-confirm").focus();
    });
    field("close-cancel").addEventListener("click", () => {
      conversation.el.confirm.hidden = true;
      conversation.el.close.hidden = false;
      conversation.el.close.focus();
    });
    field("close-confirm").addEventListener("click", () => {
      conversation.el.confirm.hidden = true;
      conversation.el.close.hidden = false;
      send({ type: "close", conversation: id });
    });
    field("dismiss").addEventListener("click", () => remove(id));
  }

  function remove(id) {
    const conversation = state.conversations.get(id);
    if (!conversation) {
      return;
    }
    conversation.el.tab.remove();
    conversation.el.panel.remove();
    state.conversations.delete(id);
    updateEmpty();
    const first = state.conversations.keys().next();
    if (!first.done) {
      select(first.value, { focus: true });
    } else {
      $("#console-conversations-title").tabIndex = -1;
      $("#console-conversations-title").focus();
    }
  }

  function messageElement(author, name, text, sentAt) {
    const item = document.createElement("li");
    item.className = `console-message console-message-${author}`;
    const meta = document.createElement("p");
    meta.className = "console-message-meta";
    const who = document.createElement("strong");
    who.textContent = name;
    const time = document.createElement("time");
    if (sentAt) {
      time.dateTime = sentAt;
      time.textContent = new Date(sentAt).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.timeZone || undefined });
    } else {
      time.textContent = t("sending");
    }
    meta.append(who, " ", time);
    const body = document.createElement("p");
    body.className = "console-message-text";
    body.textContent = text;
    item.append(meta, body);
    return item;
  }

  function scroll(conversation) {
    conversation.el.logBox.scrollTop = conversation.el.logBox.scrollHeight;
  }

  function onMessage(frame) {
    const conversation = state.conversations.get(frame.conversation);
    const id = Number(frame.id);
    if (!conversation || conversation.seen.has(id)) {
      return;
    }
    conversation.seen.add(id);
    conversation.lastId = Math.max(conversation.lastId, id);
    const name = frame.author === "visitor" ? (frame.name || conversation.info.visitor_name)
      : (frame.author === "agent" ? (frame.name || t("you")) : t("system"));
    const element = messageElement(frame.author, name, frame.text, frame.sent_at);
    const pending = frame.client_id && conversation.pending.get(frame.client_id);
    if (pending) {
      pending.replaceWith(element);
      conversation.pending.delete(frame.client_id);
    } else {
      conversation.el.log.appendChild(element);
    }
    if (frame.author === "visitor") {
      conversation.el.typing.textContent = "";
      if (state.selected !== conversation.info.id) {
        conversation.unread += 1;
        conversation.el.badge.hidden = false;
        conversation.el.badge.textContent = String(conversation.unread);
      }
    }
    scroll(conversation);
  }

  function onTyping(frame) {
    const conversation = state.conversations.get(frame.conversation);
    if (conversation) {
      conversation.el.typing.textContent = frame.on ? t("typing", { name: conversation.info.visitor_name }) : "";
    }
  }

  function onClosed(frame) {
    const conversation = state.conversations.get(frame.conversation);
    if (!conversation) {
      return;
    }
    conversation.ended = true;
    const key = { agent: "closed_agent", visitor: "closed_visitor", idle: "closed_idle", request: "closed_request" }[frame.by] || "closed_agent";
    conversation.el.endedText.textContent = t(key);
    conversation.el.ended.hidden = false;
    conversation.el.composer.hidden = true;
    conversation.el.actions.hidden = true;
    conversation.el.typing.textContent = "";
    conversation.el.tab.classList.add("is-ended");
    fillTransfer(conversation);
    updateEmpty();
    if (state.selected !== conversation.info.id) {
      conversation.el.badge.hidden = false;
      conversation.el.badge.textContent = "✓";
    }
    alert(`${conversation.info.visitor_name} : ${t(key)}`);
  }

  function onTransferred(frame) {
    const conversation = state.conversations.get(frame.conversation);
    if (conversation) {
      alert(t("transferred", { name: conversation.info.visitor_name, to: frame.to }));
      remove(frame.conversation);
    }
  }

  // ---- The visitor's context (orders, open claims, earlier requests, each linking to the admin) ----------
  function contextUrl(conversation) {
    if (conversation.info.context_url) {
      return conversation.info.context_url;
    }
    return (config.contextUrlTemplate || "").replace("/0/", `/${conversation.info.id}/`);
  }

  function link(text, url) {
    if (!url) {
      const span = document.createElement("span");
      span.textContent = text;
      return span;
    }
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.target = "_blank";
    anchor.rel = "noopener";
    anchor.textContent = text;
    return anchor;
  }

  function listSection(title, rows, label) {
    const section = document.createElement("div");
    const heading = document.createElement("h4");
    heading.textContent = title;
    section.appendChild(heading);
    if (!rows || !rows.length) {
      const none = document.createElement("p");
      none.textContent = t("none");
      section.appendChild(none);
      return section;
    }
    const list = document.createElement("ul");
    rows.forEach((row) => {
      const item = document.createElement("li");
      item.appendChild(link(label(row), row.url));
      if (row.status) {
        item.append(` — ${row.status}`);
      }
      list.appendChild(item);
    });
    section.appendChild(list);
    return section;
  }

  function loadContext(conversation) {
    const body = conversation.el.context;
    fetch(contextUrl(conversation), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then((data) => {
        body.replaceChildren();
        const visitor = data.visitor || {};
        const who = document.createElement("p");
        who.appendChild(link(visitor.name || conversation.info.visitor_name, visitor.admin_url));
        if (visitor.email) {
          who.append(document.createElement("br"), visitor.email);
        }
        who.append(document.createElement("br"), visitor.account ? t("account") : t("no_account"));
        body.appendChild(who);
        if (data.order) {
          const order = document.createElement("p");
          order.dataset.testid = "context-order";
          order.append(`${t("attached_order")} : `);
          order.appendChild(link(data.order.number, data.order.url));
          body.appendChild(order);
        }
        body.appendChild(listSection(t("orders"), data.orders, (row) => row.number));
        body.appendChild(listSection(t("claims"), data.claims, (row) => row.reference));
        body.appendChild(listSection(t("requests"), data.requests, (row) => row.reference));
      })
      .catch(() => {
        const failed = document.createElement("p");
        failed.textContent = t("context_failed");
        body.replaceChildren(failed);
      });
  }

  updateEmpty();
  connect();
});
