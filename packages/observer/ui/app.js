// The observer's page: plain DOM, no framework, no inline script (the CSP forbids it).
// Text from the server only ever becomes text nodes, never markup.
'use strict';

const state = { view: 'overview', sort: 'pid', order: 'asc', offset: 0, limit: 50, filter: '', detail: null, actions: false, collapsed: new Set(), history: [], flow: [], node: '', cluster: null };
const $ = (id) => document.getElementById(id);

function takeToken() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem('joerl-observer-token', decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('joerl-observer-token');
}
const token = takeToken();

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

function svgEl(tag, attrs) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** A view's path on the node picked (this one unless another is picked). */
function onNode(path) {
  if (state.node === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}node=${encodeURIComponent(state.node)}`;
}

/** Actions act on this node only: none while another node is shown. */
const canAct = () => state.actions && state.node === '';

async function getJson(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

function notice(text) {
  $('notice').textContent = text;
}

const bytes = (n) => (n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);
const age = (ms) => (ms < 1000 ? `${ms} ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : ms < 3600000 ? `${(ms / 60000).toFixed(1)} min` : `${(ms / 3600000).toFixed(1)} h`);
const cap = (c) => (c === null ? '∞' : String(c));

// ---- views
function show(view) {
  state.view = view;
  for (const b of document.querySelectorAll('nav button')) b.setAttribute('aria-pressed', String(b.dataset.view === view));
  for (const v of ['overview', 'tree', 'actors', 'statem', 'flow', 'cluster']) $(`view-${v}`).hidden = v !== view;
  if (view === 'actors') void loadActors();
  if (view === 'overview') void loadCrashes();
  if (view === 'flow') renderFlowGraph(state.flow);
}

// ---- overview
const CHARTS = [
  ['messagesPerSecond', 'Messages / s', String],
  ['mailboxTotal', 'Messages queued', String],
  ['actors', 'Actors', String],
  ['eventLoopP99Ms', 'Event-loop delay p99 (ms)', String],
  ['heapUsed', 'Heap used', bytes],
  ['restarts', 'Restarts', String],
];

function renderOverview(o, health) {
  const cards = [
    ['Actors', o.actors],
    ['Messages / s', o.messagesPerSecond],
    ['Messages queued', o.mailboxTotal],
    ['Deepest mailbox', o.mailboxMax],
    ['Run queue', o.runQueue],
    ['Restarts', o.restarts],
    ['Event loop p99', `${o.eventLoopP99Ms} ms`],
    ['Heap', `${bytes(o.heapUsed)} / ${bytes(o.heapLimit)}`],
    ['RSS', bytes(o.rss)],
  ];
  $('cards').replaceChildren(...cards.map(([label, value]) => el('div', { class: 'card', 'data-card': label }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value))));
  const h = $('health');
  h.textContent = `health: ${health ?? 'n/a'}`;
  h.className = `badge ${health === 'healthy' ? 'ok' : health === 'degraded' ? 'warn' : health === 'unhealthy' ? 'bad' : ''}`;
  renderCharts();
}

function renderCharts() {
  const hist = state.history;
  $('charts').replaceChildren(
    ...CHARTS.map(([key, label, fmt]) => {
      const values = hist.map((s) => s[key]);
      const seen = values.length ? Math.max(...values) : 0;
      const max = Math.max(1, seen);
      const w = 300;
      const h = 80;
      const svg = svgEl('svg', { viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${label} over the last ${hist.length} updates` });
      const n = values.length;
      const points = values.map((v, i) => `${n <= 1 ? w : (i / (n - 1)) * w},${h - 2 - (v / max) * (h - 4)}`).join(' ');
      svg.append(svgEl('polyline', { points }));
      const last = values.length ? fmt(values[values.length - 1]) : '–';
      return el('div', { class: 'chart' }, el('div', { class: 'label' }, `${label}: ${last} (max ${fmt(seen)})`), svg);
    }),
  );
}

async function loadCrashes() {
  const crashes = await getJson(onNode('/api/crashes'));
  document.querySelector('#crashes tbody').replaceChildren(
    ...crashes.map((c) => el('tr', { 'data-type': c.type }, el('td', {}, new Date(c.at).toLocaleTimeString()), el('td', {}, c.pid), el('td', {}, c.type), el('td', {}, c.phase), el('td', { class: 'reason' }, c.reason))),
  );
}

// ---- supervision tree
function actionButton(label, body, title) {
  return el('button', { type: 'button', title, 'data-action': body.kind, onclick: () => void act(body) }, label);
}

async function act(body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers['x-joerl-token'] = token;
  const res = await fetch('/api/actions', { method: 'POST', headers, body: JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  notice(res.ok ? `done: ${answer.detail}` : `refused: ${answer.error ?? res.status}`);
  $('notice').dataset.outcome = res.ok ? 'ok' : 'refused';
  if (state.detail !== null) void loadDetail();
}

function nodeKey(parentKey, n) {
  return `${parentKey}/${n.id}`;
}

function renderNode(n, parentKey, parentPid) {
  const key = nodeKey(parentKey, n);
  const line = el(
    'span',
    { class: 'node', 'data-node': n.id, 'data-status': n.status },
    el('span', { class: 'kind' }, n.kind),
    n.id !== n.pid ? el('span', { class: 'id' }, n.id) : null,
    n.type && n.type !== n.id ? el('span', { class: 'type' }, n.type) : null,
    n.pidId !== null ? el('button', { type: 'button', class: 'pid', onclick: () => void openDetail(n.pidId) }, n.pid) : null,
    el('span', { class: `status status-${n.status}` }, n.status.replace('_', ' ')),
    n.mailbox ? el('span', { class: 'mailbox', title: 'mailbox depth / capacity' }, `mailbox ${n.mailbox.depth}/${cap(n.mailbox.capacity)}`) : null,
    n.strategy ? el('span', { class: 'strategy' }, n.strategy) : null,
    el('span', { class: `restarts${n.restarts > 0 ? ' hot' : ''}`, 'data-restarts': n.restarts }, `restarts ${n.restarts}`),
    canAct() && n.pidId !== null ? actionButton('Kill', { kind: 'kill', pid: n.pidId }, `kill ${n.id}`) : null,
    canAct() && parentPid !== null && n.pid !== null && !/^</.test(n.id) ? actionButton('Restart', { kind: 'restart_child', supervisor: parentPid, id: n.id }, `restart ${n.id}`) : null,
  );
  if (n.kind !== 'supervisor' || n.children.length === 0) return el('li', {}, line);
  const open = !state.collapsed.has(key);
  const list = el('ul', { class: 'tree', hidden: !open }, ...n.children.map((c) => renderNode(c, key, n.pidId)));
  if (n.moreChildren > 0) list.append(el('li', { class: 'more' }, `… and ${n.moreChildren} more (see Actors)`));
  const toggle = el('button', { type: 'button', class: 'toggle', 'aria-expanded': String(open), 'aria-label': `children of ${n.id}` }, open ? '▾' : '▸');
  toggle.addEventListener('click', () => {
    const nowOpen = list.hidden;
    list.hidden = !nowOpen;
    toggle.setAttribute('aria-expanded', String(nowOpen));
    toggle.textContent = nowOpen ? '▾' : '▸';
    if (nowOpen) state.collapsed.delete(key);
    else state.collapsed.add(key);
  });
  line.prepend(toggle);
  return el('li', {}, line, list);
}

function renderTree(roots) {
  $('tree').replaceChildren(roots.length === 0 ? el('p', {}, 'No supervisors.') : el('ul', { class: 'tree root' }, ...roots.map((r) => renderNode(r, '', null))));
}

// ---- actors table
async function loadActors() {
  const q = new URLSearchParams({ sort: state.sort, order: state.order, offset: String(state.offset), limit: String(state.limit), filter: state.filter });
  const page = await getJson(onNode(`/api/actors?${q}`));
  $('actors-total').textContent = `${page.total === 0 ? 0 : page.offset + 1}–${page.offset + page.rows.length} of ${page.total}`;
  $('prev').disabled = page.offset === 0;
  $('next').disabled = page.offset + page.rows.length >= page.total;
  for (const b of document.querySelectorAll('th button')) b.parentElement.setAttribute('aria-sort', b.dataset.sort === state.sort ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none');
  document.querySelector('#actors tbody').replaceChildren(
    ...page.rows.map((r) =>
      el(
        'tr',
        { 'data-pid': r.pidId },
        el('td', {}, el('button', { type: 'button', onclick: () => void openDetail(r.pidId) }, r.pid)),
        el('td', {}, r.type),
        el('td', {}, r.name ?? ''),
        el('td', { class: 'mailbox', 'data-depth': r.mailbox }, `${r.mailbox}/${cap(r.capacity)}`),
        el('td', {}, r.processed),
        el('td', { class: 'rate', 'data-rate': r.rate }, r.rate),
        el('td', {}, age(r.ageMs)),
      ),
    ),
  );
}

// ---- one actor
async function openDetail(pidId) {
  state.detail = pidId;
  await loadDetail();
}

async function loadDetail() {
  const aside = $('detail');
  if (state.detail === null) {
    aside.hidden = true;
    return;
  }
  let d;
  try {
    d = await getJson(onNode(`/api/actors/${state.detail}`));
  } catch {
    aside.replaceChildren(el('h2', {}, 'Actor exited'), el('button', { type: 'button', onclick: closeDetail }, 'Close'));
    aside.hidden = false;
    return;
  }
  const pidButton = (p) =>
    p === null ? 'external' : p.pidId === null ? el('span', { class: 'remote', title: `on node ${p.node}` }, `${p.pid} on ${p.node}`) : el('button', { type: 'button', onclick: () => void openDetail(p.pidId) }, p.pid);
  const list = (ps) => (ps.length === 0 ? 'none' : el('span', {}, ...ps.flatMap((p, i) => (i ? [' ', pidButton(p)] : [pidButton(p)]))));
  const rows = [
    ['Type', d.type],
    ['Name', d.name ?? '—'],
    ['Status', d.status],
    ['Parent', d.parent ? pidButton(d.parent) : 'none'],
    ['Mailbox', `${d.mailbox.depth}/${cap(d.mailbox.capacity)} (${d.mailbox.overflow})`],
    ['Messages', `received ${d.messages.received}, processed ${d.messages.processed}, dropped ${d.messages.dropped}`],
    ['Traps exits', d.trapExit ? 'yes' : 'no'],
    ['Links', list(d.links)],
    ['Monitors', list(d.monitors)],
    ['Monitored by', list(d.monitoredBy.filter((p) => p !== null))],
    ['Age', age(d.ageMs)],
  ];
  if (d.statem) rows.push(['State', `${d.statem.state} (of ${d.statem.states.join(', ')})`]);
  if (d.supervisor) rows.push(['Strategy', `${d.supervisor.strategy}, ${d.supervisor.intensity} restarts in ${d.supervisor.periodMs} ms, ${(d.supervisor.intensityUsage * 100).toFixed(0)}% used`]);
  if (d.formattedStatus !== null) rows.push(['Status (formatStatus)', el('code', {}, d.formattedStatus)]);
  if (d.lastCrash) rows.push(['Last crash', `${d.lastCrash.phase}: ${d.lastCrash.reason}`]);
  const trace = await getJson(onNode(`/api/traces/${d.pidId}`)).catch(() => null); // null: never traced
  if (state.detail !== d.pidId) return; // another actor was opened meanwhile
  aside.replaceChildren(
    el('h2', {}, `${d.pid} ${d.type}`),
    el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    canAct() ? actionButton('Kill', { kind: 'kill', pid: d.pidId }, `kill ${d.pid}`) : null,
    ' ',
    el('button', { type: 'button', onclick: closeDetail }, 'Close'),
    renderTrace(d, trace),
  );
  aside.hidden = false;
}

// ---- message trace of one actor (sys:trace)
function renderTrace(d, trace) {
  const running = trace !== null && trace.running;
  const controls = canAct()
    ? running
      ? actionButton('Stop trace', { kind: 'trace_stop', pid: d.pidId }, `stop the trace of ${d.pid}`)
      : actionButton('Trace next messages', { kind: 'trace_start', pid: d.pidId }, `trace the next messages of ${d.pid}`)
    : null;
  const status =
    trace === null
      ? canAct()
        ? 'Not traced. A trace records the next messages and signals (only their tags unless the redact hook shows more).'
        : state.node !== ''
          ? "Not traced (tracing is an action: open this node's own observer to trace its actors)."
          : 'Not traced (tracing is an action: start the observer with actions enabled).'
      : running
        ? `Tracing: ${trace.events.length} of at most ${trace.maxEvents} events, for at most ${Math.round(trace.maxMs / 1000)} s.`
        : `Trace ended (${ENDED[trace.ended] ?? trace.ended}): ${trace.events.length} events.`;
  const table =
    trace === null || trace.events.length === 0
      ? null
      : el(
          'table',
          { class: 'trace' },
          el('caption', {}, 'Traced events, oldest first'),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'When'), el('th', { scope: 'col' }, 'Event'), el('th', { scope: 'col' }, 'From'))),
          el('tbody', {}, ...trace.events.map((e) => el('tr', { 'data-kind': e.kind }, el('td', {}, clockTime(e.at)), el('td', { class: 'text' }, e.text), el('td', {}, e.from ?? '')))),
        );
  return el('section', { id: 'trace', 'aria-label': 'Message trace', 'data-running': String(running) }, el('h3', {}, 'Message trace'), el('p', { class: 'muted' }, status), controls, table);
}

const ENDED = { count: 'its event count was reached', time: 'its time was up', stopped: 'stopped', exited: 'the actor exited' };
const clockTime = (at) => {
  const t = new Date(at);
  return `${t.toLocaleTimeString([], { hour12: false })}.${String(t.getMilliseconds()).padStart(3, '0')}`;
};

function closeDetail() {
  state.detail = null;
  $('detail').hidden = true;
}

// ---- state machines
function renderStatem(machines) {
  if (machines.length === 0) {
    $('statem').replaceChildren(el('p', {}, 'No GenStatem types yet.'));
    return;
  }
  $('statem').replaceChildren(
    ...machines.map((m) =>
      el(
        'div',
        { class: 'machine', 'data-machine': m.type },
        el('h2', {}, m.type),
        el('div', { class: 'states' }, ...m.states.map((s) => el('div', { class: `state${s.count === 0 ? ' empty' : ''}`, 'data-state': s.name, 'data-count': s.count }, s.name, el('span', { class: 'count' }, s.count)))),
        m.transitions.length === 0
          ? null
          : el(
              'table',
              { class: 'transitions' },
              el('caption', {}, 'Transitions since start'),
              el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'From'), el('th', { scope: 'col' }, 'To'), el('th', { scope: 'col' }, 'Count'))),
              el('tbody', {}, ...m.transitions.map((t) => el('tr', {}, el('td', {}, t.from), el('td', {}, t.to), el('td', {}, t.count)))),
            ),
      ),
    ),
  );
}

// ---- message flow
function renderFlow(edges, folded) {
  document.querySelector('#flow tbody').replaceChildren(
    ...edges.map((e) => el('tr', { 'data-from': e.from, 'data-to': e.to }, el('td', {}, e.from), el('td', {}, `→ ${e.to}`), el('td', { class: 'rate' }, e.perSecond), el('td', {}, e.total))),
  );
  $('flow-folded').textContent = [
    state.node !== '' ? `The message flow of this node (${state.cluster?.node ?? ''}): open ${state.node}'s own observer for its flow.` : '',
    folded > 0 ? `${folded} messages on edges past the cap are counted on (other) → (other).` : '',
  ].join(' ');
  if (state.view === 'flow') renderFlowGraph(edges);
}

const GRAPH_EDGES = 40;

/**
 * The flow as a graph: types in columns by their distance from the senders that receive
 * nothing (usually (outside)), edges as curves whose width grows with the rate.
 */
function renderFlowGraph(all) {
  const edges = all.slice(0, GRAPH_EDGES);
  const box = $('flow-graph');
  if (edges.length === 0) {
    box.replaceChildren(el('p', { class: 'muted' }, 'No messages counted yet: the flow is counted while this page is open.'));
    return;
  }
  const names = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
  const incoming = new Set(edges.filter((e) => e.from !== e.to).map((e) => e.to));
  const roots = names.filter((n) => !incoming.has(n));
  const layer = new Map();
  const queue = roots.length > 0 ? roots.slice() : [names[0]];
  for (const r of queue) layer.set(r, 0);
  while (queue.length > 0) {
    const n = queue.shift();
    for (const e of edges) {
      if (e.from === n && !layer.has(e.to)) {
        layer.set(e.to, layer.get(n) + 1);
        queue.push(e.to);
      }
    }
  }
  for (const n of names) if (!layer.has(n)) layer.set(n, 0);
  const columns = [];
  for (const n of names.sort()) (columns[layer.get(n)] ??= []).push(n);
  const colW = 220;
  const rowH = 56;
  const w = Math.max(640, columns.length * colW);
  const h = Math.max(160, Math.max(...columns.map((c) => (c ? c.length : 0))) * rowH + 40);
  const pos = new Map();
  columns.forEach((col, i) => (col || []).forEach((n, j) => pos.set(n, { x: 90 + i * colW, y: ((j + 1) * h) / (col.length + 1) })));
  const max = Math.max(1, ...edges.map((e) => e.perSecond));
  const svg = svgEl('svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, role: 'img', 'aria-label': `Message flow graph: ${names.length} actor types, ${edges.length} busiest edges with messages per second` });
  const defs = svgEl('defs', {});
  const marker = svgEl('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  marker.append(svgEl('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  defs.append(marker);
  svg.append(defs);
  const half = 70;
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    let d;
    let lx;
    let ly;
    if (e.from === e.to) {
      d = `M ${a.x + 20} ${a.y - 14} C ${a.x + 60} ${a.y - 70}, ${a.x - 60} ${a.y - 70}, ${a.x - 20} ${a.y - 14}`;
      lx = a.x;
      ly = a.y - 58;
    } else {
      const forward = b.x > a.x;
      const x1 = forward ? a.x + half : a.x;
      const x2 = forward ? b.x - half : b.x;
      const y1 = forward ? a.y : a.y + 14;
      const y2 = forward ? b.y : b.y + 14;
      const bend = forward ? 0 : 60 + Math.abs(a.x - b.x) / 4;
      const c1x = forward ? x1 + (x2 - x1) / 2 : x1;
      const c2x = forward ? x1 + (x2 - x1) / 2 : x2;
      d = `M ${x1} ${y1} C ${c1x} ${y1 + bend}, ${c2x} ${y2 + bend}, ${x2} ${y2}`;
      lx = (x1 + x2) / 2;
      ly = (y1 + y2) / 2 + bend * 0.75 - 4;
    }
    const g = svgEl('g', { class: 'edge', 'data-from': e.from, 'data-to': e.to, 'data-rate': e.perSecond });
    const title = svgEl('title', {});
    title.textContent = `${e.from} → ${e.to}: ${e.perSecond} messages/s, ${e.total} in all`;
    g.append(title, svgEl('path', { d, 'stroke-width': (1 + (5 * Math.log1p(e.perSecond)) / Math.log1p(max)).toFixed(2), 'marker-end': 'url(#arrow)' }));
    const label = svgEl('text', { x: lx, y: ly, 'text-anchor': 'middle', class: 'rate' });
    label.textContent = `${e.perSecond}/s`;
    g.append(label);
    svg.append(g);
  }
  for (const n of names) {
    const p = pos.get(n);
    const g = svgEl('g', { class: `type${n.startsWith('(') ? ' reserved' : ''}`, 'data-type': n });
    g.append(svgEl('rect', { x: p.x - half, y: p.y - 14, width: half * 2, height: 28, rx: 14 }));
    const t = svgEl('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle' });
    t.textContent = n.length > 20 ? `${n.slice(0, 19)}…` : n;
    g.append(t);
    svg.append(g);
  }
  box.replaceChildren(svg);
}

// ---- cluster
async function loadCluster() {
  const c = await getJson('/api/cluster');
  state.cluster = c;
  const inCluster = c.node !== null;
  $('node-picker').hidden = !inCluster;
  document.querySelector('nav button[data-view="cluster"]').hidden = !inCluster;
  if (!inCluster) return;
  const select = $('node');
  const options = c.nodes.map((n) => el('option', { value: n.self ? '' : n.node, selected: (n.self ? '' : n.node) === state.node }, `${n.node}${n.self ? ' (this node)' : n.up ? '' : ' (down)'}`));
  select.replaceChildren(...options);
  document.querySelector('#cluster tbody').replaceChildren(
    ...c.nodes.map((n) =>
      el(
        'tr',
        { 'data-node': n.node, 'data-up': String(n.up) },
        el('td', {}, n.self ? `${n.node} (this node)` : n.node),
        el('td', { class: n.up ? 'up' : 'down' }, n.up ? 'connected' : 'down'),
        el('td', {}, n.framesSent ?? '—'),
        el('td', {}, n.framesReceived ?? '—'),
        el('td', {}, el('button', { type: 'button', 'data-pick': n.node, onclick: () => void pickNode(n.self ? '' : n.node) }, `Show ${n.node}`)),
      ),
    ),
  );
}

async function pickNode(node) {
  state.node = node;
  $('node').value = node;
  state.history = [];
  state.offset = 0;
  closeDetail();
  await refreshNodeViews(null);
  show(state.view === 'cluster' ? 'overview' : state.view);
}

/** The overview, tree and state machines of the node picked: from the live update for this node, asked for another. */
async function refreshNodeViews(update) {
  let u = update;
  if (state.node !== '' || u === null) {
    const [o, tree, machines] = await Promise.all([getJson(onNode('/api/overview')), getJson(onNode('/api/tree')), getJson(onNode('/api/state-machines'))]);
    if (state.history.length === 0) state.history = o.history.slice(0, -1);
    u = { overview: o.overview, health: o.health, tree, stateMachines: machines };
  }
  state.history.push(u.overview);
  if (state.history.length > 300) state.history.shift();
  renderOverview(u.overview, u.health);
  renderTree(u.tree);
  renderStatem(u.stateMachines);
}

// ---- live updates
async function apply(update) {
  await refreshNodeViews(state.node === '' ? update : null).catch((e) => notice(`node ${state.node}: ${e.message}`));
  if (state.cluster !== null && state.cluster.node !== null) void loadCluster(); // not a node: nothing to poll
  state.flow = update.flow;
  renderFlow(update.flow, update.flowFolded ?? 0);
  if (state.view === 'actors') void loadActors();
  if (state.view === 'overview') void loadCrashes();
  if (state.detail !== null) void loadDetail();
}

async function boot() {
  for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', () => show(b.dataset.view));
  for (const b of document.querySelectorAll('th button'))
    b.addEventListener('click', () => {
      if (state.sort === b.dataset.sort) state.order = state.order === 'asc' ? 'desc' : 'asc';
      else {
        state.sort = b.dataset.sort;
        state.order = b.dataset.sort === 'pid' || b.dataset.sort === 'type' || b.dataset.sort === 'name' ? 'asc' : 'desc';
      }
      state.offset = 0;
      void loadActors();
    });
  $('filter').addEventListener('input', (e) => {
    state.filter = e.target.value;
    state.offset = 0;
    void loadActors();
  });
  $('prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - state.limit);
    void loadActors();
  });
  $('node').addEventListener('change', (e) => void pickNode(e.target.value));
  $('next').addEventListener('click', () => {
    state.offset += state.limit;
    void loadActors();
  });
  const first = await getJson('/api/overview');
  state.actions = first.actions;
  state.history = first.history.slice();
  $('mode').textContent = first.actions ? (token ? 'actions enabled' : 'actions enabled (no token)') : 'read-only';
  renderOverview(first.overview, first.health);
  await loadCluster();
  const events = new EventSource('/api/events');
  events.onopen = () => ($('live').textContent = 'live');
  events.onerror = () => ($('live').textContent = 'reconnecting…');
  events.onmessage = (e) => void apply(JSON.parse(e.data));
}

void boot();
