// The visitor's live chat (docs/chat-protocol.md). Texts come from the template (data-chat-string), never from here.
(() => {
  "use strict";
  const root = document.getElementById("chat-root");
  if (!root || !("WebSocket" in window)) {
    return;
  }
  // A top-level landmark, outside <main>: on a phone the open sheet can make the page behind it inert.
  document.body.appendChild(root);
  document.documentElement.classList.add("has-chat");

  const config = root.dataset;
  const panel = root.querySelector("#chat-panel");
  const launcher = root.querySelector("#chat-launcher");
  const $ = (selector) => panel.querySelector(selector);
  const strings = {};
  root.querySelectorAll("[data-chat-string]").forEach((el) => { strings[el.dataset.chatString] = el.textContent; });
  const t = (key, params = {}) => (strings[key] || "").replace(/%\((\w+)\)s/g, (mark, name) => (name in params ? params[name] : mark));

  const CLOSED_KEY = "rk-chat-closed";
  const ACTIVE_KEY = "rk-chat-active";
  const DESKTOP = window.matchMedia("(min-width: 992px)");
  const CONNECT_TIMEOUT_MS = 8000;
  const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];
  const TYPING_IDLE_MS = 3000;

  const store = {
    get(storage, key) { try { return window[storage].getItem(key); } catch (error) { return null; } },
    set(storage, key, value) { try { window[storage].setItem(key, value); } catch (error) { /* private mode: not remembered */ } },
    remove(storage, key) { try { window[storage].removeItem(key); } catch (error) { /* nothing kept */ } },
  };

  const state = {
    step: "loading",
    availability: null,     // the state endpoint's answer
    conversation: null,     // {id, state, topic}
    agentName: "",
    lastId: 0,
    seenIds: new Set(),
    pending: new Map(),     // client_id -> {text, element}: sent but not yet echoed by the server
    socket: null,
    retries: 0,
    wantSocket: false,
    lastSent: "",
    typingOn: false,
    typingTimer: null,
    rated: null,
  };

  // ---- Showing things -------------------------------------------------------------------------------------
  function show(step) {
    state.step = step;
    panel.querySelectorAll("[data-step]").forEach((el) => { el.hidden = el.dataset.step !== step; });
    $("[data-chat-error]").hidden = true;
    // Opened by the visitor while still loading: the focus goes to the first thing to do once it is there.
    if (state.focusWhenReady && step !== "loading" && isOpen()) {
      state.focusWhenReady = false;
      focusStep();
    }
  }

  function announce(text) {
    const live = $("[data-chat-announce]");
    live.textContent = "";
    // A fresh text node after a tick, so the same sentence twice is still read out.
    window.setTimeout(() => { live.textContent = text; }, 50);
  }

  function showError(text) {
    const box = $("[data-chat-error]");
    box.textContent = text;
    box.hidden = false;
  }

  function isOpen() {
    return !panel.hidden;
  }

  function applyLayout() {
    const open = isOpen();
    const docked = open && DESKTOP.matches;
    const sheet = open && !DESKTOP.matches;
    document.body.classList.toggle("chat-docked", docked);
    document.body.classList.toggle("chat-sheet-open", sheet);
    panel.setAttribute("aria-modal", sheet ? "true" : "false");
    // On a phone the sheet covers the page: keep keyboard and screen reader inside it until it closes.
    Array.from(document.body.children).forEach((child) => {
      if (child !== root && child.tagName !== "SCRIPT") {
        child.inert = sheet;
      }
    });
  }

  function focusStep() {
    const target = {
      start: "input[name=topic]:checked, input[name=topic]",
      conversation: "#chat-message",
      ended: "#chat-comment",
    }[state.step];
    const element = (target && $(target)) || $("#chat-title");
    element.focus();
  }

  function openPanel({ focus }) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    store.remove("localStorage", CLOSED_KEY);
    applyLayout();
    if (focus) {
      focusStep();
      state.focusWhenReady = state.step === "loading";
    }
    if (!state.availability && !state.socket) {
      load();
    }
  }

  function closePanel() {
    const hadFocus = panel.contains(document.activeElement);
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    store.set("localStorage", CLOSED_KEY, "1");
    applyLayout();
    if (hadFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", () => openPanel({ focus: true }));
  $("[data-chat-close]").addEventListener("click", closePanel);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      if (!$("[data-chat-confirm]").hidden) {
        hideConfirm();
      } else {
        closePanel();
      }
    }
  });
  DESKTOP.addEventListener("change", applyLayout);

  // ---- Availability and the start form --------------------------------------------------------------------
  function load() {
    show("loading");
    fetch(config.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((data) => {
        state.availability = data;
        fillForm(data);
        const conversation = data.conversation;
        if (conversation && conversation.state !== "closed") {
          state.conversation = conversation;
          connect();
        } else {
          showStart(data.state, data);
        }
      })
      .catch(() => {
        state.availability = { state: "unavailable" };
        showStart("unavailable", {});
      });
  }

  const form = $("[data-step=start]");
  let startMode = "chat";
  let formFilled = false;

  // Topics and the buyer's own orders, as the server lists them (an order is chosen, never typed).
  function fillForm(data) {
    if (formFilled) {
      return;
    }
    formFilled = true;
    const topics = form.querySelector("[data-chat-topics]");
    (data.topics || []).forEach((topic) => {
      const wrapper = document.createElement("div");
      wrapper.className = "form-check";
      const input = document.createElement("input");
      input.className = "form-check-input";
      input.type = "radio";
      input.name = "topic";
      input.id = `chat-topic-${topic.value}`;
      input.value = topic.value;
      input.required = true;
      input.addEventListener("change", () => setInvalid("topic", false));
      const label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = input.id;
      label.textContent = topic.label;
      wrapper.append(input, label);
      topics.appendChild(wrapper);
    });
    const orders = data.orders || [];
    const select = field("order");
    orders.forEach((order) => {
      const option = document.createElement("option");
      option.value = String(order.id);
      option.dataset.number = order.number || order.label.split(" ")[0];
      option.textContent = order.label;
      select.appendChild(option);
    });
    form.querySelector("[data-chat-orders]").hidden = !orders.length;
    const length = data.limits && data.limits.message_length;
    if (length) {
      field("text").maxLength = length;
      $("#chat-message").maxLength = length;
    }
  }

  function showStart(availability, data) {
    startMode = availability === "open" ? "chat" : "contact";
    const notice = $("[data-chat-fallback-notice]");
    notice.hidden = startMode === "chat";
    $("[data-chat-intro]").hidden = startMode !== "chat";
    $("[data-chat-start-button]").textContent = t(startMode === "chat" ? "start" : "to_form");
    if (availability !== "open" && data.message) {
      // The server's own sentence ("… Elle ouvre lundi à 9 h.", "… vous seriez en position 4").
      $("[data-chat-fallback-title]").textContent = data.message;
      $("[data-chat-fallback-text]").textContent = t(availability === "unavailable" ? "unavailable_text" : "closed_text");
    } else if (availability === "closed") {
      $("[data-chat-fallback-title]").textContent = data.opens ? t("closed_opens", { opens: data.opens }) : t("closed_title");
      $("[data-chat-fallback-text]").textContent = t("closed_text");
    } else if (availability === "busy") {
      const position = data.position || (Number.isFinite(data.queue_length) ? data.queue_length + 1 : 0);
      $("[data-chat-fallback-title]").textContent = position ? t("busy_place", { position }) : t("busy_title");
      $("[data-chat-fallback-text]").textContent = t("closed_text");
    } else if (availability !== "open") {
      $("[data-chat-fallback-title]").textContent = t("unavailable_title");
      $("[data-chat-fallback-text]").textContent = t("unavailable_text");
    }
    if (data.contact_url) {
      form.dataset.contactUrl = data.contact_url;
    }
    show("start");
    if (startMode !== "chat") {
      announce($("[data-chat-fallback-title]").textContent);
    }
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function setInvalid(name, invalid) {
    const input = name === "topic" ? null : field(name);
    const error = form.querySelector(`[data-error-for="${name}"]`);
    if (input) {
      input.classList.toggle("is-invalid", invalid);
      input.setAttribute("aria-invalid", invalid ? "true" : "false");
    }
    if (error) {
      error.hidden = !invalid;
    }
    return invalid;
  }

  // Whether one field is wrong (and says so beside it).
  function checkField(name) {
    const input = field(name);
    let bad = false;
    if (name === "name" || name === "email") {
      bad = Boolean(input) && (!input.value.trim() || (name === "email" && !input.checkValidity()));
    } else if (name === "text") {
      // The contact form needs a question (10 characters at least); the chat can start without one.
      bad = startMode === "contact" && input.value.trim().length < 10;
    }
    return setInvalid(name, bad);
  }

  function validate() {
    const invalid = [];
    if (setInvalid("topic", !form.querySelector("input[name=topic]:checked"))) {
      invalid.push(form.querySelector("input[name=topic]"));
    }
    ["name", "email", "text"].forEach((name) => {
      if (checkField(name)) {
        invalid.push(field(name));
      }
    });
    return invalid;
  }

  function startValues() {
    const topic = form.querySelector("input[name=topic]:checked");
    const order = field("order");
    const option = order && order.selectedOptions[0];
    return {
      topic: topic ? topic.value : "",
      order: order && order.value ? Number(order.value) : null,
      orderNumber: option && option.value ? option.dataset.number : "",
      name: field("name") ? field("name").value.trim() : "",
      email: field("email") ? field("email").value.trim() : "",
      text: field("text").value.trim(),
    };
  }

  // What the visitor wrote so far (the question, the messages sent, the message being typed).
  function writtenText() {
    const parts = [field("text").value.trim()];
    panel.querySelectorAll(".chat-msg-visitor .chat-msg-text").forEach((el) => parts.push(el.textContent));
    parts.push($("#chat-message").value.trim());
    return parts.filter((part, index) => part && parts.indexOf(part) === index).join("\n\n");
  }

  function contactUrl(base) {
    const values = startValues();
    const url = new URL(base || form.dataset.contactUrl || config.contactUrl, window.location.href);
    const set = (key, value) => { if (value && !url.searchParams.has(key)) { url.searchParams.set(key, value); } };
    set("sujet", values.topic);
    set("commande", values.orderNumber);
    set("email", values.email);
    set("message", writtenText());
    return url.toString();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const invalid = validate();
    if (invalid.length) {
      invalid[0].focus();
      return;
    }
    if (startMode === "contact") {
      window.location.assign(contactUrl());
      return;
    }
    const values = startValues();
    state.startFrame = {
      type: "start", topic: values.topic, order: values.order, text: values.text,
      ...(config.anonymous === "true" ? { name: values.name, email: values.email } : {}),
    };
    connect();
  });

  // A field marked wrong is checked again as it is corrected; nothing is marked before the first submit.
  ["name", "email", "text"].forEach((name) => {
    const input = field(name);
    if (input) {
      input.addEventListener("input", () => { if (input.classList.contains("is-invalid")) { checkField(name); } });
    }
  });

  // ---- The socket -----------------------------------------------------------------------------------------
  function send(frame) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function connect() {
    state.wantSocket = true;
    if (state.step === "start" || state.step === "loading") {
      show("loading");
    }
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    let socket;
    try {
      socket = new WebSocket(scheme + window.location.host + config.wsPath);
    } catch (error) {
      unavailable();
      return;
    }
    state.socket = socket;
    state.resumed = false;
    let opened = false;
    const timer = window.setTimeout(() => {
      if (!opened) {
        socket.close();
      }
    }, CONNECT_TIMEOUT_MS);
    socket.addEventListener("open", () => {
      opened = true;
      state.everOpened = true;
      window.clearTimeout(timer);
      if (state.retries > 0) {
        announce(t("reconnected"));
      }
      state.retries = 0;
      if (state.startFrame) {
        // A start answers with the whole conversation: nothing to resume on this socket.
        state.resumed = true;
        send(state.startFrame);
        state.startFrame = null;
      } else {
        resume();
      }
      // The server keeps one copy per client_id, so a message sent before a cut is safe to send again.
      state.pending.forEach((message, clientId) => send({ type: "message", text: message.text, client_id: clientId }));
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
    socket.addEventListener("close", () => {
      window.clearTimeout(timer);
      if (state.socket !== socket) {
        return;
      }
      state.socket = null;
      if (!state.wantSocket) {
        return;
      }
      // Never connected from this page (a proxy that blocks websockets, say): one more try, then say so.
      if (state.retries >= (state.everOpened ? RETRY_DELAYS_MS.length : 1)) {
        unavailable();
        return;
      }
      if (state.step === "conversation") {
        announce(t("reconnecting"));
      }
      window.setTimeout(connect, RETRY_DELAYS_MS[state.retries]);
      state.retries += 1;
    });
  }

  function resume() {
    if (!state.resumed) {
      state.resumed = true;
      send({ type: "resume", after: state.lastId });
    }
  }

  function disconnect() {
    state.wantSocket = false;
    if (state.socket) {
      const socket = state.socket;
      state.socket = null;
      socket.close();
    }
  }

  function unavailable() {
    disconnect();
    state.retries = 0;
    const base = state.availability && state.availability.contact_url;
    showStart("unavailable", base ? { contact_url: base } : {});
  }

  // ---- Frames from the server -----------------------------------------------------------------------------
  function handle(frame) {
    switch (frame.type) {
      case "joined": return onJoined(frame.conversation);
      case "queue": return onQueue(frame);
      case "assigned": return onAssigned(frame.agent_name);
      case "message": return onMessage(frame);
      case "typing": return onTyping(Boolean(frame.on));
      case "closed": return onClosed(frame);
      case "offer_fallback": return onFallback(frame);
      case "request_created": return onRequestCreated(frame);
      case "rated": return onRated(frame);
      case "transcript_sent": return onTranscriptSent(frame);
      case "error": return onError(frame);
      default: return undefined;
    }
  }

  function onJoined(conversation) {
    if (!conversation) {
      // Nothing to resume (closed meanwhile): back to the start form.
      store.remove("sessionStorage", ACTIVE_KEY);
      disconnect();
      showStart((state.availability && state.availability.state) || "open", state.availability || {});
      return;
    }
    state.conversation = conversation;
    if (conversation.state === "closed") {
      onClosed({ by: conversation.closed_by || "" });
      return;
    }
    resume();
    store.set("sessionStorage", ACTIVE_KEY, String(conversation.id));
    const firstTime = state.step !== "conversation";
    show("conversation");
    $("[data-chat-waiting]").hidden = conversation.state !== "waiting";
    if (conversation.agent_name) {
      onAssigned(conversation.agent_name, { quiet: true });
    }
    if (firstTime && isOpen()) {
      $("#chat-message").focus();
    }
    suggest(field("text").value);
  }

  function onQueue(frame) {
    if (state.step !== "conversation") {
      show("conversation");
    }
    $("[data-chat-waiting]").hidden = false;
    if (state.agentName) {
      // Back in the queue: the adviser left (closed their console, or their presence lapsed).
      state.agentName = "";
      $("[data-chat-subtitle]").textContent = $("[data-chat-subtitle]").dataset.default;
      onTyping(false);
    }
    const position = Number(frame.position);
    const text = position <= 1 ? t("position_first") : t("position", { position });
    const seconds = Number(frame.estimated_wait_seconds);
    const wait = Number.isFinite(seconds) ? (seconds < 60 ? t("wait_short") : t("wait", { minutes: Math.round(seconds / 60) })) : "";
    const positionEl = $("[data-chat-position]");
    const changed = positionEl.textContent !== text;
    positionEl.textContent = text;
    $("[data-chat-wait]").textContent = wait;
    if (changed) {
      announce(`${text} ${wait}`);
    }
  }

  function onAssigned(name, { quiet } = {}) {
    state.agentName = name || t("adviser_generic");
    $("[data-chat-waiting]").hidden = true;
    $("[data-chat-subtitle]").textContent = t("adviser", { name: state.agentName });
    if (state.conversation) {
      state.conversation.state = "active";
    }
    if (!quiet) {
      announce(t("assigned", { name: state.agentName }));
    }
  }

  function messageElement(author, name, text, sentAt) {
    const item = document.createElement("li");
    item.className = `chat-msg chat-msg-${author}`;
    const meta = document.createElement("p");
    meta.className = "chat-msg-meta";
    const who = document.createElement("span");
    who.className = "chat-msg-author";
    who.textContent = author === "visitor" ? t("you") : (author === "agent" ? (name || state.agentName) : t("system"));
    meta.appendChild(who);
    const time = document.createElement("time");
    if (sentAt) {
      const date = new Date(sentAt);
      time.dateTime = sentAt;
      time.textContent = date.toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: config.timeZone || undefined });
    } else {
      time.textContent = t("sending");
    }
    meta.appendChild(time);
    const body = document.createElement("p");
    body.className = "chat-msg-text";
    body.textContent = text;
    item.append(meta, body);
    return item;
  }

  function scrollLog() {
    const box = $("[data-chat-log-box]");
    box.scrollTop = box.scrollHeight;
  }

  function onMessage(frame) {
    const id = Number(frame.id);
    if (state.seenIds.has(id)) {
      return;
    }
    state.seenIds.add(id);
    state.lastId = Math.max(state.lastId, id);
    const element = messageElement(frame.author, frame.name, frame.text, frame.sent_at);
    element.dataset.id = String(id);
    const mine = frame.client_id && state.pending.get(frame.client_id);
    if (mine) {
      mine.element.replaceWith(element);
      state.pending.delete(frame.client_id);
    } else {
      $("[data-chat-log]").appendChild(element);
    }
    if (frame.author === "agent") {
      onTyping(false);
      if (frame.name && !state.agentName) {
        onAssigned(frame.name, { quiet: true });
      }
    }
    scrollLog();
  }

  function onTyping(on) {
    $("[data-chat-typing]").textContent = on ? t("typing", { name: state.agentName || t("adviser_generic") }) : "";
  }

  function onClosed(frame) {
    // The socket stays open: rating and transcript are frames about this closed conversation.
    state.conversation = { ...(state.conversation || {}), state: "closed" };
    store.remove("sessionStorage", ACTIVE_KEY);
    state.pending.clear();
    const key = { visitor: "ended_visitor", agent: "ended_agent", idle: "ended_idle" }[frame.by] || "ended_agent";
    $("[data-chat-ended-text]").textContent = t(key);
    const reference = $("[data-chat-ended-reference]");
    reference.hidden = !frame.request_reference;
    reference.textContent = frame.request_reference ? t("ended_reference", { reference: frame.request_reference }) : "";
    const requestsLink = $("[data-chat-requests-link]");
    if (requestsLink && frame.request_url) {
      requestsLink.href = frame.request_url;
    }
    onTyping(false);
    show("ended");
    announce(t(key));
    if (isOpen()) {
      $("#chat-title").focus();
    }
  }

  function onFallback(frame) {
    if (frame.reason === "waited") {
      $("[data-chat-leave]").hidden = false;
      announce($("[data-chat-leave] p").textContent);
      return;
    }
    disconnect();
    store.remove("sessionStorage", ACTIVE_KEY);
    showStart(frame.reason === "busy" ? "busy" : "closed", {
      opens: frame.opens, contact_url: frame.contact_url, position: frame.position,
    });
  }

  function onRequestCreated(frame) {
    disconnect();
    store.remove("sessionStorage", ACTIVE_KEY);
    $("[data-chat-reference]").textContent = frame.reference;
    const link = $("[data-chat-request-link]");
    if (frame.url) {
      link.href = frame.url;
      link.hidden = false;
    }
    show("request");
    announce(`${$("[data-step=request] p").textContent} ${frame.reference}`);
    $("#chat-title").focus();
  }

  function onError(frame) {
    if (frame.code === "unavailable") {
      unavailable();
      return;
    }
    if (frame.code === "too_long" || frame.code === "too_fast") {
      // Not stored: give the text back so nothing typed is lost.
      const composer = $("#chat-message");
      state.pending.forEach((message, clientId) => {
        if (message.text === state.lastSent) {
          message.element.remove();
          state.pending.delete(clientId);
        }
      });
      if (!composer.value) {
        composer.value = state.lastSent;
      }
    }
    showError(frame.message || t("failed"));
  }

  // ---- Writing --------------------------------------------------------------------------------------------
  const composer = $("#chat-message");

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
  }

  function setTyping(on) {
    window.clearTimeout(state.typingTimer);
    if (on) {
      state.typingTimer = window.setTimeout(() => setTyping(false), TYPING_IDLE_MS);
    }
    if (state.typingOn !== on) {
      state.typingOn = on;
      send({ type: "typing", on });
    }
  }

  let suggestTimer = null;
  composer.addEventListener("input", () => {
    setTyping(Boolean(composer.value.trim()));
    window.clearTimeout(suggestTimer);
    suggestTimer = window.setTimeout(() => suggest(`${field("text").value} ${composer.value}`), 600);
  });
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("[data-chat-composer]").requestSubmit();
    }
  });

  $("[data-chat-composer]").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = composer.value.trim();
    if (!text) {
      return;
    }
    $("[data-chat-error]").hidden = true;
    const clientId = uuid();
    const element = messageElement("visitor", "", text, null);
    element.classList.add("is-pending");
    $("[data-chat-log]").appendChild(element);
    state.pending.set(clientId, { text, element });
    state.lastSent = text;
    composer.value = "";
    setTyping(false);
    send({ type: "message", text, client_id: clientId });
    scrollLog();
  });

  // ---- Suggestions while waiting (the help centre's own search) -------------------------------------------
  let lastQuery = "";
  function suggest(text) {
    const query = (text || "").trim().slice(0, 200);
    const box = $("[data-chat-suggestions]");
    if (!config.searchUrl || query.length < 3 || query === lastQuery || $("[data-chat-waiting]").hidden) {
      return;
    }
    lastQuery = query;
    const url = new URL(config.searchUrl, window.location.href);
    url.searchParams.set("q", query);
    // The help centre's own search page, read as a document: its results are the suggestions.
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => {
        const found = new DOMParser().parseFromString(html, "text/html");
        const list = box.querySelector("[data-chat-suggestion-list]");
        list.replaceChildren();
        Array.from(found.querySelectorAll("[data-testid=search-results] h2 a")).slice(0, 4).forEach((result) => {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = new URL(result.getAttribute("href"), url).pathname;
          link.target = "_blank";
          link.rel = "noopener";
          link.textContent = result.textContent.trim();
          const hint = document.createElement("span");
          hint.className = "visually-hidden";
          hint.textContent = ` ${t("new_tab")}`;
          link.appendChild(hint);
          item.appendChild(link);
          list.appendChild(item);
        });
        box.hidden = !list.children.length;
      })
      .catch(() => { box.hidden = true; });
  }

  // ---- Ending, rating, transcript, leaving a request ------------------------------------------------------
  function hideConfirm() {
    $("[data-chat-confirm]").hidden = true;
    $("[data-chat-end]").hidden = false;
    $("[data-chat-end]").focus();
  }

  $("[data-chat-end]").addEventListener("click", () => {
    $("[data-chat-end]").hidden = true;
    $("[data-chat-confirm]").hidden = false;
    $("[data-chat-end-confirm]").focus();
  });
  $("[data-chat-end-cancel]").addEventListener("click", hideConfirm);
  $("[data-chat-end-confirm]").addEventListener("click", () => {
    $("[data-chat-confirm]").hidden = true;
    $("[data-chat-end]").hidden = false;
    if (!send({ type: "end" })) {
      showError(t("failed"));
    }
  });

  $("[data-chat-leave-button]").addEventListener("click", (event) => {
    event.currentTarget.disabled = true;
    if (!send({ type: "leave_request" })) {
      event.currentTarget.disabled = false;
      showError(t("failed"));
    }
  });

  function onRated(frame) {
    state.rated = frame.rating;
    panel.querySelectorAll("[data-rating]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.rating === frame.rating));
      button.disabled = true;
    });
    const comment = $("#chat-comment");
    $("[data-chat-rating-status]").textContent = t(comment.value.trim() ? "commented" : "rated");
    $("#chat-comment").disabled = true;
  }

  function onTranscriptSent(frame) {
    $("[data-chat-transcript-status]").textContent = t("transcript_sent", { address: frame.email || "" });
  }

  // One click rates; the comment, if the visitor writes one first, goes with it.
  panel.querySelectorAll("[data-rating]").forEach((button) => {
    button.addEventListener("click", () => {
      const comment = $("#chat-comment").value.trim();
      if (!send({ type: "rate", rating: button.dataset.rating, ...(comment ? { comment } : {}) })) {
        $("[data-chat-rating-status]").textContent = t("failed");
      }
    });
  });

  $("[data-chat-transcript]").addEventListener("click", (event) => {
    const button = event.currentTarget;
    if (send({ type: "transcript" })) {
      button.disabled = true;
    } else {
      $("[data-chat-transcript-status]").textContent = t("failed");
    }
  });

  $("[data-chat-restart]").addEventListener("click", () => {
    $("[data-chat-log]").replaceChildren();
    state.seenIds.clear();
    state.lastId = 0;
    state.conversation = null;
    state.agentName = "";
    state.rated = null;
    $("[data-chat-subtitle]").textContent = $("[data-chat-subtitle]").dataset.default;
    $("[data-chat-leave]").hidden = true;
    $("[data-chat-leave-button]").disabled = false;
    panel.querySelectorAll("[data-rating]").forEach((button) => { button.setAttribute("aria-pressed", "false"); button.disabled = false; });
    $("#chat-comment").value = "";
    $("#chat-comment").disabled = false;
    disconnect();
    $("[data-chat-rating-status]").textContent = "";
    $("[data-chat-transcript-status]").textContent = "";
    $("[data-chat-transcript]").disabled = false;
    state.availability = null;
    load();
    window.setTimeout(focusStep, 0);
  });

  // ---- Start ----------------------------------------------------------------------------------------------
  $("[data-chat-subtitle]").dataset.default = $("[data-chat-subtitle]").textContent;
  const active = store.get("sessionStorage", ACTIVE_KEY);
  const closedByVisitor = store.get("localStorage", CLOSED_KEY) === "1";
  if (!closedByVisitor && (active || (config.autoOpen === "true" && DESKTOP.matches))) {
    // Opened by itself: shown beside the page, the focus stays where the visitor is.
    openPanel({ focus: false });
  } else {
    launcher.hidden = false;
    if (active) {
      launcher.querySelector("[data-chat-launcher-label]").textContent = t("resume");
    }
  }
})();
