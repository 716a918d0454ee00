// The interviewer's page: the candidate's board, live, and the console.
//
// Every string from the session reaches the page through textContent or
// setAttribute, never through HTML parsing. The board's SVG (escaped by
// the host) is parsed as XML and stripped of anything active before it
// is shown; the Content-Security-Policy forbids inline script anyway.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SVGNS = 'http://www.w3.org/2000/svg';
  const KINDS = [
    ['TrafficSurge', 'Traffic ×10'],
    ['RegionDown', 'A region goes down'],
    ['ColdCache', 'The cache starts cold'],
    ['DependencyFails', 'A dependency fails'],
    ['NewRequirement', 'A new requirement'],
  ];
  const KIND_LABEL = Object.fromEntries(KINDS);
  const RATINGS = ['Strong', 'Partial', 'Missed'];

  const state = {
    seq: null,
    board: null,
    view: null,
    cards: new Map(),
    interview: null,
    interviewAt: 0,
    pointer: {},
    role: null,
    follow: true,
    free: null,
    ws: null,
    ended: false,
    retryMs: 500,
    outbox: new Map(),
    pending: new Map(),
    reqCount: 0,
    picking: false,
    probeEls: new Map(),
    noteTimers: new Map(),
  };

  function randomId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function stored(storage, key, make) {
    try {
      let value = storage.getItem(key);
      if (!value) {
        value = make();
        storage.setItem(key, value);
      }
      return value;
    } catch (_) {
      return make();
    }
  }

  const client = stored(sessionStorage, 'archboard-client', randomId);
  let myName = stored(localStorage, 'archboard-name', () => 'Interviewer');

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  function notice(text) {
    $('notice').textContent = text || '';
  }

  // ------------------------------------------------------------ connection

  function setConn(text, cls) {
    const c = $('conn');
    c.textContent = text;
    c.className = 'conn ' + cls;
  }

  function connect() {
    const url = new URL('ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.hash = '';
    url.search = '';
    const ws = new WebSocket(url.href);
    state.ws = ws;
    setConn('Connecting…', 'conn-wait');
    ws.onopen = () => {
      state.retryMs = 500;
      send({ t: 'hello', name: myName, client });
    };
    ws.onmessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      handle(msg);
    };
    ws.onclose = () => {
      state.ws = null;
      state.seq = null;
      if (state.ended) return;
      setConn('Reconnecting…', 'conn-bad');
      setTimeout(connect, state.retryMs);
      state.retryMs = Math.min(state.retryMs * 2, 5000);
    };
  }

  function send(msg) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) {
      state.ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  // A request is kept until the host answers; after a reconnect it is sent
  // again with the same id, and the host applies it once.
  function request(msg, slot) {
    const req = client.slice(0, 8) + '-' + Date.now().toString(36) + '-' + (++state.reqCount);
    msg.req = req;
    if (slot) {
      for (const [r, m] of state.outbox) if (m.slot === slot) state.outbox.delete(r);
    }
    state.outbox.set(req, { msg, slot });
    send(msg);
    return req;
  }

  function resendOutbox() {
    for (const { msg } of state.outbox.values()) send(msg);
  }

  function resync() {
    state.seq = null;
    setConn('Catching up…', 'conn-wait');
    send({ t: 'resync' });
  }

  function handle(msg) {
    switch (msg.t) {
      case 'welcome':
        state.role = msg.role;
        document.body.classList.toggle('readonly', msg.role !== 'interviewer');
        showWho(msg.name);
        renderScorecard();
        break;
      case 'snapshot':
        state.seq = msg.seq;
        setConn('Live', 'conn-ok');
        if (!setBoard(msg.board)) state.seq = null;
        setInterview(msg.interview);
        setPointer(msg.pointer || {});
        resendOutbox();
        break;
      case 'delta':
      case 'interview': {
        if (state.seq === null || msg.seq <= state.seq) return;
        // A gap, or a delta that does not fit the board shown: everything
        // after it waits for a fresh snapshot.
        if (msg.seq !== state.seq + 1) return resync();
        state.seq = msg.seq;
        if (msg.t === 'interview') {
          setInterview(msg.interview);
          break;
        }
        let applied = false;
        try {
          applied = applyDelta(msg.board);
        } catch (_) {
          applied = false;
        }
        if (!applied) resync();
        break;
      }
      case 'pointer':
        if (state.seq !== null) setPointer(msg);
        break;
      case 'reply': {
        const entry = state.outbox.get(msg.req);
        state.outbox.delete(msg.req);
        if (entry && entry.slot) state.pending.delete(entry.slot);
        if (!msg.ok) notice(msg.error || 'The candidate\u2019s app refused that');
        if (state.interview) renderConsole();
        break;
      }
      case 'error':
        notice(msg.error);
        break;
      case 'scorecard':
        setScorecard(msg.scorecard);
        break;
      case 'bye':
        state.ended = true;
        setConn('Ended', 'conn-bad');
        notice(msg.reason || 'The session has ended');
        break;
      default:
        break;
    }
  }

  function showWho(name) {
    const who = $('who');
    who.textContent = '';
    const role = state.role === 'interviewer' ? 'Interviewer link' : 'Observer link (read-only)';
    who.append(el('span', '', role + ' · your name'));
    const input = el('input', 'name');
    input.value = name || myName;
    input.maxLength = 40;
    input.setAttribute('aria-label', 'Your name');
    input.addEventListener('change', () => {
      myName = input.value.trim() || 'Interviewer';
      try { localStorage.setItem('archboard-name', myName); } catch (_) { /* private mode */ }
      send({ t: 'hello', name: myName, client });
    });
    who.append(input);
  }

  // ------------------------------------------------------------------ board

  const ACTIVE = new Set(['script', 'foreignObject', 'iframe', 'object', 'embed', 'a', 'image', 'style', 'animate', 'set', 'animateTransform', 'animateMotion']);

  function sanitize(node) {
    for (const child of Array.from(node.children)) {
      if (ACTIVE.has(child.localName)) {
        child.remove();
        continue;
      }
      for (const attr of Array.from(child.attributes)) {
        const name = attr.name.toLowerCase();
        const isLink = name === 'href' || name.endsWith(':href');
        if (name.startsWith('on') || name === 'style' || (isLink && !attr.value.startsWith('#'))) {
          child.removeAttribute(attr.name);
        }
      }
      sanitize(child);
    }
  }

  const LAYERS = ['groups', 'wires', 'cards', 'captions', 'notes', 'badges'];

  // Parses SVG text and strips it; null when it is not well-formed SVG.
  function parseSvg(text) {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    if (!root || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
    sanitize(root);
    for (const attr of Array.from(root.attributes)) {
      if (attr.name.toLowerCase().startsWith('on')) root.removeAttribute(attr.name);
    }
    return root;
  }

  // Each string one element: the elements, ready for this page, or null.
  function parsePieces(texts) {
    const root = parseSvg('<svg xmlns="' + SVGNS + '">' + texts.join('') + '</svg>');
    if (!root || root.children.length !== texts.length) return null;
    return Array.from(root.children, (child) => document.importNode(child, true));
  }

  function frameOf(drawing) {
    const f = drawing.frame;
    return [f.x, f.y, f.w, f.h];
  }

  function placeInner(inner, frame) {
    const [x, y, w, h] = frame;
    inner.setAttribute('x', x);
    inner.setAttribute('y', y);
    inner.setAttribute('width', w);
    inner.setAttribute('height', h);
    inner.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
    inner.setAttribute('overflow', 'visible');
  }

  // The whole board, from a snapshot: one parse of the drawing's pieces,
  // then every piece is found again by layer and id for later deltas.
  function setBoard(board) {
    const d = board.drawing;
    const parts = [d.open, d.defs, '<g class="background">', d.background, '</g>'];
    for (const layer of LAYERS) {
      parts.push('<g class="' + layer + '">');
      for (const piece of d.layers[layer]) parts.push(piece.svg);
      parts.push('</g>');
    }
    parts.push('</svg>');
    const root = parseSvg(parts.join(''));
    if (!root) {
      notice('The board could not be shown');
      return false;
    }
    const inner = document.importNode(root, true);
    const view = { inner, defs: null, background: null, layers: {} };
    for (const child of Array.from(inner.children)) {
      const cls = child.getAttribute('class');
      if (child.localName === 'defs') view.defs = child;
      else if (cls === 'background') view.background = child;
      else if (LAYERS.includes(cls)) view.layers[cls] = { g: child, byId: new Map() };
    }
    for (const layer of LAYERS) {
      const entry = view.layers[layer];
      const pieces = d.layers[layer];
      if (!entry || entry.g.children.length !== pieces.length) {
        notice('The board could not be shown');
        return false;
      }
      pieces.forEach((piece, i) => entry.byId.set(piece.id, entry.g.children[i]));
    }
    placeInner(inner, frameOf(d));
    $('content').replaceChildren(inner);
    const changedDoc = !state.board || state.board.doc !== board.doc;
    // The pieces live in the DOM now; the text is not needed again.
    board.drawing = Object.assign({}, d, { layers: null });
    state.board = board;
    state.view = view;
    if (changedDoc) state.free = null;
    boardChanged(true, true);
    return true;
  }

  // A keyed list after a delta (see ListDelta in src/live/protocol.rs),
  // or null when the delta does not fit the list.
  function applyList(list, delta, key) {
    const out = list.slice();
    const at = new Map(out.map((x, i) => [key(x), i]));
    for (const item of delta.put || []) {
      const i = at.get(key(item));
      if (i === undefined) {
        at.set(key(item), out.length);
        out.push(item);
      } else {
        out[i] = item;
      }
    }
    const del = new Set(delta.del || []);
    for (const k of del) if (!at.has(k)) return null;
    let result = del.size ? out.filter((x) => !del.has(key(x))) : out;
    if (delta.order) {
      const byKey = new Map(result.map((x) => [key(x), x]));
      if (delta.order.length !== byKey.size) return null;
      result = [];
      for (const k of delta.order) {
        const x = byKey.get(k);
        if (x === undefined) return null;
        result.push(x);
      }
    }
    return result;
  }

  // The same for one layer of the drawing, on the DOM. False when the
  // delta does not fit what the page shows.
  function applyPieces(entry, delta) {
    const puts = delta.put || [];
    const made = parsePieces(puts.map((p) => p.svg));
    if (!made) return false;
    puts.forEach((piece, i) => {
      const old = entry.byId.get(piece.id);
      if (old) old.replaceWith(made[i]);
      else entry.g.append(made[i]);
      entry.byId.set(piece.id, made[i]);
    });
    for (const id of delta.del || []) {
      const old = entry.byId.get(id);
      if (!old) return false;
      old.remove();
      entry.byId.delete(id);
    }
    if (delta.order) {
      if (delta.order.length !== entry.byId.size) return false;
      const nodes = [];
      for (const id of delta.order) {
        const node = entry.byId.get(id);
        if (!node) return false;
        nodes.push(node);
      }
      entry.g.append(...nodes);
    }
    return true;
  }

  function replaceView(old, text, wrap) {
    const made = parsePieces([wrap ? '<g class="background">' + text + '</g>' : text]);
    if (!made || !old) return null;
    old.replaceWith(made[0]);
    return made[0];
  }

  // Patches the board in place; false when the delta cannot be applied
  // (the caller asks for a fresh snapshot).
  function applyDelta(delta) {
    const board = state.board;
    const view = state.view;
    if (!board || !view) return false;
    const d = delta.drawing || {};
    const drawing = board.drawing;
    if (d.defs !== undefined) {
      view.defs = replaceView(view.defs, d.defs, false);
      if (!view.defs) return false;
    }
    if (d.background !== undefined) {
      view.background = replaceView(view.background, d.background, true);
      if (!view.background) return false;
    }
    for (const [layer, layerDelta] of Object.entries(d.layers || {})) {
      const entry = view.layers[layer];
      if (!entry || !applyPieces(entry, layerDelta)) return false;
    }
    if (d.open !== undefined) drawing.open = d.open;
    if (d.title !== undefined) drawing.title = d.title;
    if (d.frame) {
      drawing.frame = d.frame;
      placeInner(view.inner, frameOf(drawing));
    }
    if (delta.cards) {
      const cards = applyList(board.cards, delta.cards, (c) => c.id);
      if (!cards) return false;
      board.cards = cards;
    }
    if (delta.probes) {
      const probes = applyList(board.probes, delta.probes, (p) => p.key);
      if (!probes) return false;
      board.probes = probes;
    }
    if (delta.doc !== undefined) {
      board.doc = delta.doc;
      state.free = null;
    }
    boardChanged(!!delta.cards, !!delta.probes);
    return true;
  }

  // What follows the board: title, view, markers, comment targets, probes.
  function boardChanged(cards, probes) {
    const board = state.board;
    $('title').textContent = board.drawing.title;
    document.title = 'Archboard \u00b7 ' + board.drawing.title;
    if (cards) state.cards = new Map(board.cards.map((c) => [c.id, c]));
    updateView();
    if (cards) {
      renderMarkers();
      renderTargets();
    }
    if (state.interview && (cards || probes)) renderConsole();
  }

  function setViewBox(r) {
    $('board').setAttribute('viewBox', `${r[0]} ${r[1]} ${Math.max(r[2], 1)} ${Math.max(r[3], 1)}`);
  }

  function updateView() {
    if (!state.board) return;
    if (state.follow) {
      setViewBox(state.pointer.view || frameOf(state.board.drawing));
    } else {
      if (!state.free) state.free = frameOf(state.board.drawing);
      setViewBox(state.free);
    }
  }

  function setPointer(p) {
    state.pointer = p;
    for (const [id, at] of [['laser', p.laser], ['cursor', p.cursor]]) {
      const dot = $(id);
      if (at) {
        dot.setAttribute('cx', at[0]);
        dot.setAttribute('cy', at[1]);
        dot.removeAttribute('display');
      } else {
        dot.setAttribute('display', 'none');
      }
    }
    if (state.follow) updateView();
  }

  function renderMarkers() {
    const layer = $('markers');
    layer.replaceChildren();
    if (!state.interview) return;
    const byCard = new Map();
    for (const c of state.interview.comments) {
      if (c.resolved || !state.cards.has(c.component)) continue;
      if (!byCard.has(c.component)) byCard.set(c.component, []);
      byCard.get(c.component).push(c);
    }
    for (const [id, list] of byCard) {
      const r = state.cards.get(id).rect;
      const g = svgEl('g', { class: 'marker' });
      const title = svgEl('title');
      title.textContent = list.map((c) => c.author + ': ' + c.text).join('\n');
      g.append(title);
      g.append(svgEl('circle', { cx: r[0] + 4, cy: r[1] + 4, r: 11 }));
      const label = svgEl('text', { x: r[0] + 4, y: r[1] + 4 });
      label.textContent = String(list.length);
      g.append(label);
      layer.append(g);
    }
  }

  // Free look: drag to pan, wheel to zoom around the pointer.
  function boardPoint(event) {
    const svg = $('board');
    const m = svg.getScreenCTM();
    if (!m) return null;
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(m.inverse());
    return [p.x, p.y];
  }

  function setupFreeLook() {
    const svg = $('board');
    let drag = null;
    svg.addEventListener('pointerdown', (e) => {
      if (state.follow || state.picking || e.button !== 0) return;
      drag = boardPoint(e);
      svg.setPointerCapture(e.pointerId);
    });
    svg.addEventListener('pointermove', (e) => {
      if (!drag || !state.free) return;
      const p = boardPoint(e);
      if (!p) return;
      state.free[0] -= p[0] - drag[0];
      state.free[1] -= p[1] - drag[1];
      setViewBox(state.free);
    });
    svg.addEventListener('pointerup', () => { drag = null; });
    svg.addEventListener('wheel', (e) => {
      if (state.follow || !state.free) return;
      e.preventDefault();
      const p = boardPoint(e);
      if (!p) return;
      const k = Math.exp(e.deltaY * 0.0015);
      const f = state.free;
      f[0] = p[0] - (p[0] - f[0]) * k;
      f[1] = p[1] - (p[1] - f[1]) * k;
      f[2] *= k;
      f[3] *= k;
      setViewBox(f);
    }, { passive: false });
    $('follow').addEventListener('change', (e) => {
      state.follow = e.target.checked;
      svg.classList.toggle('free', !state.follow);
      if (!state.follow) {
        const vb = svg.viewBox.baseVal;
        state.free = vb && vb.width ? [vb.x, vb.y, vb.width, vb.height] : null;
      }
      updateView();
    });
    svg.addEventListener('click', (e) => {
      if (!state.picking) return;
      const card = e.target.closest && e.target.closest('.card[data-id]');
      if (!card) return;
      $('cm-target').value = card.getAttribute('data-id');
      setPicking(false);
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && state.picking) setPicking(false);
    });
  }

  function setPicking(on) {
    state.picking = on;
    $('board').classList.toggle('picking', on);
    if (on) $('pinhint').removeAttribute('hidden');
    else $('pinhint').setAttribute('hidden', '');
  }

  // -------------------------------------------------------------- interview

  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  function setInterview(interview) {
    state.interview = interview;
    state.interviewAt = performance.now();
    tick();
    const step = $('step');
    step.textContent = interview.step === null || interview.step === undefined
      ? ''
      : `Step ${interview.step + 1} of ${interview.steps}` + (interview.step_title ? ' · ' + interview.step_title : '');
    renderBanner();
    renderMarkers();
    renderConsole();
  }

  function tick() {
    const i = state.interview;
    if (!i) return;
    const extra = i.running ? (performance.now() - state.interviewAt) / 1000 : 0;
    const phase = $('phase');
    phase.textContent = '';
    const spent = i.phase_elapsed_s + extra;
    const text = el('span', spent > i.phase_planned_s ? 'over' : '', `${i.phase} ${clock(spent)} / ${clock(i.phase_planned_s)}`);
    phase.append(text, el('span', '', ` · total ${clock(i.total_elapsed_s + extra)} / ${clock(i.total_planned_s)}` + (i.running ? '' : ' · paused')));
  }

  function renderBanner() {
    const banner = $('banner');
    const open = state.interview.curveballs.filter((c) => !c.dismissed);
    banner.replaceChildren();
    if (!open.length) {
      banner.setAttribute('hidden', '');
      return;
    }
    const last = open[open.length - 1];
    banner.append(el('b', '', 'On the candidate\u2019s screen: ' + (KIND_LABEL[last.kind] || last.kind)));
    if (last.detail) banner.append(el('span', '', last.detail));
    if (open.length > 1) banner.append(el('span', '', ` (+${open.length - 1} more)`));
    banner.removeAttribute('hidden');
  }

  function recordOf(key) {
    if (state.pending.has('rate:' + key)) return state.pending.get('rate:' + key);
    const r = state.interview && state.interview.records[key];
    return r ? { asked: !!r.asked, rating: r.rating || null, note: r.note || '' } : { asked: false, rating: null, note: '' };
  }

  function rate(key, change) {
    const record = Object.assign(recordOf(key), change);
    if (record.rating) record.asked = true;
    state.pending.set('rate:' + key, record);
    request({ t: 'rate', key, asked: record.asked, rating: record.rating, note: record.note }, 'rate:' + key);
    renderConsole();
  }

  function probeEl(probe) {
    let item = state.probeEls.get(probe.key);
    if (item) return item;
    const li = el('li', 'probe');
    const head = el('div', 'subject');
    const question = el('div', 'question');
    const hint = el('div', 'hint');
    const ratings = el('div', 'ratings');
    const asked = el('button', 'btn asked', 'Asked');
    asked.addEventListener('click', () => rate(probe.key, { asked: !recordOf(probe.key).asked }));
    ratings.append(asked);
    const buttons = { asked };
    for (const r of RATINGS) {
      const b = el('button', 'btn ' + r.toLowerCase(), r);
      b.addEventListener('click', () => {
        const current = recordOf(probe.key).rating;
        rate(probe.key, { rating: current === r ? null : r });
      });
      buttons[r] = b;
      ratings.append(b);
    }
    const note = el('textarea');
    note.placeholder = 'Notes';
    note.maxLength = 2000;
    note.rows = 1;
    note.addEventListener('input', () => {
      clearTimeout(state.noteTimers.get(probe.key));
      state.noteTimers.set(probe.key, setTimeout(() => rate(probe.key, { note: note.value }), 400));
    });
    li.append(head, question, hint, ratings, note);
    item = { li, head, question, hint, buttons, note };
    state.probeEls.set(probe.key, item);
    return item;
  }

  function renderProbes() {
    const list = $('probes');
    const probes = state.board ? state.board.probes : [];
    const keep = new Set(probes.map((p) => p.key));
    for (const [key, item] of state.probeEls) {
      if (!keep.has(key)) {
        item.li.remove();
        state.probeEls.delete(key);
      }
    }
    let tally = { asked: 0, Strong: 0, Partial: 0, Missed: 0 };
    probes.forEach((probe, index) => {
      const item = probeEl(probe);
      item.head.textContent = probe.subject;
      if (probe.rule) item.head.append(el('span', 'rule', probe.rule));
      item.question.textContent = probe.question;
      item.hint.textContent = probe.hint;
      const record = recordOf(probe.key);
      if (record.asked || record.rating) tally.asked++;
      if (record.rating) tally[record.rating]++;
      item.buttons.asked.classList.toggle('on', record.asked);
      for (const r of RATINGS) item.buttons[r].classList.toggle('on', record.rating === r);
      item.li.className = 'probe' + (record.rating ? ' rated-' + record.rating.toLowerCase() : '');
      const typing = document.activeElement === item.note || state.pending.has('rate:' + probe.key);
      if (!typing && item.note.value !== record.note) item.note.value = record.note;
      if (list.children[index] !== item.li) list.insertBefore(item.li, list.children[index] || null);
    });
    $('tally').textContent = `${probes.length} probes · ${tally.asked} asked · ${tally.Strong} strong · ${tally.Partial} partial · ${tally.Missed} missed`;
  }

  function renderCurveballs() {
    const list = $('curveballs');
    list.replaceChildren();
    const items = state.interview.curveballs.slice().reverse();
    for (const c of items) {
      const li = el('li', c.dismissed ? 'done' : '');
      const meta = el('div', 'meta');
      meta.append(el('span', '', (KIND_LABEL[c.kind] || c.kind) + ' · ' + c.author + (c.dismissed ? ' · taken down' : ' · on screen')));
      if (!c.dismissed && state.role === 'interviewer') {
        const b = el('button', 'btn', 'Take down');
        b.addEventListener('click', () => request({ t: 'dismiss', id: c.id }));
        meta.append(b);
      }
      li.append(meta);
      if (c.detail) li.append(el('div', 'body', c.detail));
      list.append(li);
    }
  }

  function cardName(id) {
    const card = state.cards.get(id);
    return card ? card.name : '(a removed component)';
  }

  function renderComments() {
    const list = $('comments');
    list.replaceChildren();
    for (const c of state.interview.comments.slice().reverse()) {
      const li = el('li', c.resolved ? 'done' : '');
      const meta = el('div', 'meta');
      meta.append(el('span', '', cardName(c.component) + ' · ' + c.author + (c.resolved ? ' · resolved' : '')));
      if (state.role === 'interviewer') {
        const b = el('button', 'btn', c.resolved ? 'Reopen' : 'Resolve');
        b.addEventListener('click', () => request({ t: 'resolve', id: c.id, resolved: !c.resolved }));
        meta.append(b);
      }
      li.append(meta, el('div', 'body', c.text));
      list.append(li);
    }
  }

  function renderTargets() {
    const select = $('cm-target');
    const before = select.value;
    select.replaceChildren();
    const cards = Array.from(state.cards.values()).sort((a, b) => a.name.localeCompare(b.name));
    for (const c of cards) {
      const o = el('option', '', c.name + ' (' + c.kind + ')');
      o.value = String(c.id);
      select.append(o);
    }
    if (before && state.cards.has(Number(before))) select.value = before;
  }

  function renderTabCounts() {
    const open = {
      curveballs: state.interview.curveballs.filter((c) => !c.dismissed).length,
      comments: state.interview.comments.filter((c) => !c.resolved).length,
    };
    for (const tab of document.querySelectorAll('.tab')) {
      const name = tab.dataset.tab;
      const label = name.charAt(0).toUpperCase() + name.slice(1);
      tab.textContent = open[name] ? `${label} (${open[name]})` : label;
    }
  }

  function renderConsole() {
    if (!state.interview) return;
    renderTabCounts();
    renderProbes();
    renderCurveballs();
    renderComments();
    renderBanner();
    renderMarkers();
    renderScorecard();
  }

  function setupConsole() {
    for (const tab of document.querySelectorAll('.tab')) {
      tab.addEventListener('click', () => {
        for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t === tab);
        for (const pane of document.querySelectorAll('.pane')) {
          if (pane.id === 'tab-' + tab.dataset.tab) pane.removeAttribute('hidden');
          else pane.setAttribute('hidden', '');
        }
      });
    }
    const kinds = $('cb-kinds');
    for (const [kind, label] of KINDS) {
      const b = el('button', 'btn', label);
      b.addEventListener('click', () => {
        request({ t: 'curveball', kind, detail: $('cb-detail').value.trim() });
        $('cb-detail').value = '';
      });
      kinds.append(b);
    }
    $('cm-pick').addEventListener('click', () => setPicking(!state.picking));
    $('cm-pin').addEventListener('click', () => {
      const text = $('cm-text').value.trim();
      const component = Number($('cm-target').value);
      if (!text) {
        notice('Write the comment first');
        return;
      }
      if (!component) {
        notice('Choose a component to pin it to');
        return;
      }
      request({ t: 'pin', component, text });
      $('cm-text').value = '';
      notice('');
    });
  }

  // -------------------------------------------------------------- scorecard

  // The host sends the scorecard only to viewers who may rate; the tab is
  // shown to them alone, and taken away with the right to rate.
  let scorecard = null;

  function setScorecard(card) {
    scorecard = card || null;
    renderScorecard();
  }

  function points(n) {
    return String(Math.round(n * 10) / 10);
  }

  function scoreMeter(value, max) {
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = max;
    meter.low = max * 0.5;
    meter.high = max * 0.8;
    meter.optimum = max;
    meter.value = value;
    return meter;
  }

  function renderScorecard() {
    const tab = document.querySelector('.tab[data-tab="score"]');
    if (!tab) return;
    if (state.role !== 'interviewer') {
      scorecard = null;
      if (tab.classList.contains('active')) {
        const probes = document.querySelector('.tab[data-tab="probes"]');
        if (probes) probes.click();
      }
      tab.setAttribute('hidden', '');
    } else {
      tab.removeAttribute('hidden');
    }
    tab.textContent = 'Score';
    const head = $('score-head');
    const list = $('score');
    head.replaceChildren();
    list.replaceChildren();
    if (!scorecard) {
      head.append(el('p', 'help', 'No interview session yet: the score appears once the clock starts or a probe is rated.'));
      return;
    }
    const total = el('div', 'score-total');
    total.append(
      el('b', '', `${Math.round(scorecard.total)} of 100`),
      el('span', '', ` · session ${scorecard.session}` + (scorecard.recording ? ' · so far' : ' · ended')),
    );
    head.append(total, scoreMeter(scorecard.total, 100));
    for (const d of scorecard.dimensions) {
      const li = el('li', 'dimension');
      const top = el('div', 'dimension-head');
      top.append(el('span', 'label', d.label), el('span', 'points', `${points(d.points)} / ${d.weight}`));
      const criteria = el('ul', 'criteria');
      for (const c of d.criteria) {
        const item = el('li', c.met ? 'met' : 'missed');
        item.title = c.met ? 'Met' : 'Missed';
        item.dataset.criterion = c.id;
        const line = el('div', 'criterion');
        line.append(el('span', 'mark', c.met ? '\u2713' : '\u2717'), el('span', 'name', c.title), el('span', 'at', c.at));
        item.append(line, el('div', 'why', c.evidence));
        criteria.append(item);
      }
      li.append(top, scoreMeter(d.points, d.weight), criteria);
      list.append(li);
    }
  }

  setupConsole();
  setupFreeLook();
  setInterval(tick, 500);
  connect();
})();
