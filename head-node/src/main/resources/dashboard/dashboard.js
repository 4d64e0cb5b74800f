// The live dashboard: one stream of ticks from /v1/dashboard/events (members and jobs, once a
// second, aggregates only), and a finished job's report from /v1/jobs/{id}. With a token set on
// the head, every request carries it, which EventSource cannot do: hence fetch and a small
// server-sent-events reader.
"use strict";

const HISTORY_POINTS = 900;      // per running job: 15 minutes of ticks
const STREAM_TASKS = 4000;       // task-stream boxes drawn at most, sampled evenly
const $ = id => document.getElementById(id);

let lastTick = null;
const history = new Map();       // job id -> [{t (s since first seen), rate, remaining}]
const reports = new Map();       // job id -> the finished job's detail, fetched once

// ---- the token, when the head asks for one

function headers() {
  const token = sessionStorage.getItem("grid-token");
  return token ? { Authorization: "Bearer " + token } : {};
}

$("token-form").addEventListener("submit", e => {
  e.preventDefault();
  sessionStorage.setItem("grid-token", $("token").value.trim());
  $("token-form").hidden = true;
  connect();
});

// ---- the tick stream

async function connect() {
  setConnection("connecting", "");
  try {
    const answer = await fetch("/v1/dashboard/events", { headers: headers(), cache: "no-store" });
    if (answer.status === 401) {
      $("token-form").hidden = false;
      setConnection("needs token", "down");
      return;
    }
    if (!answer.ok) throw new Error("HTTP " + answer.status);
    setConnection("live", "live");
    const reader = answer.body.getReader(), decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").filter(l => l.startsWith("data:")).map(l => l.slice(5).trimStart()).join("\n");
        if (data) onTick(JSON.parse(data));
      }
    }
  } catch (e) {
    console.warn("dashboard stream:", e);
  }
  setConnection("reconnecting", "down");
  setTimeout(connect, 2000);
}

function setConnection(text, cls) {
  const el = $("connection");
  el.textContent = text;
  el.className = "pill " + cls;
}

function onTick(tick) {
  lastTick = tick;
  for (const job of tick.jobs) {
    if (job.state !== "RUNNING") continue;
    const points = history.get(job.job) || [];
    const t0 = points.length ? points[0].at : tick.atMillis;
    points.push({ at: tick.atMillis, t: (tick.atMillis - t0) / 1000, rate: job.chunksPerSecond,
                  remaining: job.chunksTotal - job.chunksDone });
    if (points.length > HISTORY_POINTS) points.shift();
    history.set(job.job, points);
  }
  render();
}

// ---- formatting

const pct = v => (100 * v).toFixed(0) + " %";
const count = v => v == null ? "–" : Number(v).toLocaleString("en");
function bytes(v) {
  if (!(v >= 0)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return v.toFixed(v < 10 && i > 0 ? 1 : 0) + " " + units[i];
}
function duration(seconds) {
  if (seconds == null || !isFinite(seconds)) return "–";
  if (seconds < 1) return (seconds * 1000).toFixed(0) + " ms";
  if (seconds < 90) return seconds.toFixed(seconds < 10 ? 1 : 0) + " s";
  if (seconds < 5400) return (seconds / 60).toFixed(0) + " min";
  return (seconds / 3600).toFixed(1) + " h";
}
function bar(value, text, cls) {
  const share = Math.max(0, Math.min(1, value || 0));
  return `<div class="bar ${cls || ""}"><div style="width:${(share * 100).toFixed(1)}%"></div><span>${text}</span></div>`;
}
function escape(s) {
  return String(s).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

// ---- the views

function render() {
  const tick = lastTick;
  if (!tick) return;
  $("updated").textContent = "updated " + new Date(tick.atMillis).toLocaleTimeString();
  $("updated").className = "note";
  const coordinator = tick.members.find(m => m.coordinator);
  $("coordinator").textContent = coordinator ? "coordinator on " + coordinator.address : "no head holds the coordinator";
  $("problem").hidden = !tick.error;
  $("problem").textContent = tick.error || "";
  renderMembers(tick.members);
  renderJobs(tick.jobs, tick.queued);
  renderJob();
}

function renderMembers(members) {
  const perProcess = new Map();
  for (const m of members) if (m.process) perProcess.set(m.process, (perProcess.get(m.process) || 0) + 1);
  $("members").tBodies[0].innerHTML = members.map(m => {
    const state = m.reachable ? m.status : m.status + ", unreachable";
    const slots = m.slots > 0 && m.slotsBusy != null ? bar(m.slotsBusy / m.slots, `${m.slotsBusy} / ${m.slots}`)
      : m.slots > 0 ? `? / ${m.slots}` : "–";
    const cpu = m.cpu >= 0 ? bar(m.cpu, pct(m.cpu), "cpu") : "–";
    const heap = m.heapMaxBytes > 0 ? bar(m.heapUsedBytes / m.heapMaxBytes,
      `${bytes(m.heapUsedBytes)} / ${bytes(m.heapMaxBytes)}`, "heap") : "–";
    return `<tr class="member${m.reachable ? "" : " unreachable"}" data-address="${escape(m.address)}">
      <td>${escape(m.address)}${m.coordinator ? ' <span class="pill live">coordinator</span>' : ""}</td>
      <td>${escape(m.roles.join(", "))}${m.tags.length ? ' <span class="note">' + escape(m.tags.join(", ")) + "</span>" : ""}</td>
      <td>${escape(state)}</td><td>${slots}</td><td class="num">${m.cores || "–"}</td>
      <td>${cpu}</td><td>${heap}</td><td class="note">${escape(m.logFile || "stderr")}</td>
      <td class="note">${perProcess.get(m.process) > 1 ? "one JVM with " + (perProcess.get(m.process) - 1) + " other node(s)" : ""}</td></tr>`;
  }).join("");
}

const ORDER = { RUNNING: 0, QUEUED: 1 };

function renderJobs(jobs, queued) {
  $("queued").textContent = queued ? `${queued} waiting in the queue` : "";
  const rows = [...jobs].sort((a, b) => (ORDER[a.state] ?? 2) - (ORDER[b.state] ?? 2)
    || b.acceptedAtMillis - a.acceptedAtMillis);
  $("jobs").tBodies[0].innerHTML = rows.map(j => {
    const share = j.chunksTotal > 0 ? j.chunksDone / j.chunksTotal : 0;
    const failures = (j.failedChunks || 0) + (j.failedItems || 0);
    const failText = j.failedChunks == null && j.failedItems == null ? "–"
      : `${count(failures)}${j.failedChunks ? " (" + count(j.failedChunks) + " chunks)" : ""}`;
    const state = j.state === "QUEUED" ? `QUEUED #${j.queuePosition}` : j.state;
    return `<tr class="job-row" data-job="${escape(j.job)}" data-done="${j.chunksDone}" data-state="${j.state}"
      data-retries="${j.retries ?? ""}">
      <td><a href="#job/${encodeURIComponent(j.job)}">${escape(j.job)}</a></td><td>${escape(j.workload)}</td>
      <td><span class="pill ${j.state}">${state}</span></td><td>${bar(share, pct(share))}</td>
      <td class="num">${count(j.chunksDone)} / ${count(j.chunksTotal)}</td>
      <td class="num">${j.chunksPerSecond > 0 ? count(Math.round(j.chunksPerSecond)) : "–"}</td>
      <td class="num">${j.state === "RUNNING" ? duration(j.etaSeconds) : "–"}</td>
      <td class="num">${count(j.retries)}</td><td class="num">${failText}</td>
      <td class="num">${duration(j.runMillis / 1000)}</td></tr>`;
  }).join("");
}

for (const el of [$("jobs")]) {
  el.addEventListener("click", e => {
    const row = e.target.closest("tr.job-row");
    if (row) location.hash = "job/" + encodeURIComponent(row.dataset.job);
  });
}
window.addEventListener("hashchange", renderJob);
window.addEventListener("resize", () => { reports.forEach((d, id) => d.drawn = false); renderJob(); });

function shownJob() {
  const m = location.hash.match(/^#job\/(.+)$/);
  return m ? decodeURIComponent(m[1]) : null;
}

function renderJob() {
  const id = shownJob();
  $("job").hidden = !id;
  if (!id) return;
  const row = lastTick && lastTick.jobs.find(j => j.job === id);
  $("job-id").textContent = id;
  const state = row ? row.state : (reports.get(id) || {}).state || "unknown";
  $("job-state").textContent = state;
  $("job-state").className = "pill " + state;
  if (row && (row.state === "RUNNING" || row.state === "QUEUED")) {
    renderRunning(row);
  } else {
    renderFinished(id);
  }
}

/** While it runs: what the ticks say, since this page opened. */
function renderRunning(row) {
  const points = history.get(row.job) || [];
  $("job-summary").textContent = `${count(row.chunksDone)} of ${count(row.chunksTotal)} chunks, `
    + `${count(Math.round(row.chunksPerSecond))} chunks/s, ETA ${duration(row.etaSeconds)}; `
    + "the full report (latency, task stream, failures) comes when it ends.";
  Charts.lines($("chart-throughput"), [{ label: "chunks/s", color: "#2f6fdf", points: points.map(p => [p.t, p.rate]) }], " s");
  $("queue-caption").textContent = "Chunks not yet done";
  Charts.lines($("chart-queue"), [{ label: "remaining", color: "#d08a16", points: points.map(p => [p.t, p.remaining]) }], " s");
  $("busy-caption").textContent = "Slots busy per node (all jobs), now";
  Charts.bars($("chart-busy"), lastTick.members.filter(m => m.slots > 0 && m.slotsBusy != null).map(m =>
    ({ label: m.address, value: m.slotsBusy / m.slots, text: `${m.slotsBusy} / ${m.slots}` })));
  Charts.histogram($("chart-latency"), [], " ms");
  Charts.stream($("chart-stream"), [], []);
  $("failures").tBodies[0].innerHTML = "";
}

/** Once it ended: its report, fetched once. */
async function renderFinished(id) {
  let detail = reports.get(id);
  if (!detail) {
    reports.set(id, detail = { loading: true });
    try {
      const answer = await fetch("/v1/jobs/" + encodeURIComponent(id), { headers: headers() });
      const body = await answer.json();
      reports.set(id, detail = answer.ok ? body : { error: body.error || "HTTP " + answer.status });
    } catch (e) {
      reports.set(id, detail = { error: String(e) });
    }
    if (shownJob() === id) renderJob();
    return;
  }
  if (detail.loading || detail.drawn) return;
  detail.drawn = true;
  const report = detail.report;
  if (detail.error || !report) {
    $("job-summary").textContent = detail.error || (detail.outcome || "") + " (the head kept no report for this job)";
    return;
  }
  $("job-summary").textContent = `${detail.outcome || ""} — ${count(report.chunksDone)} of ${count(report.chunks)} chunks `
    + `in ${duration(report.makespanMillis / 1000)}, ${count(Math.round(report.chunksPerSecond))} chunks/s on `
    + `${report.slots} slots; latency p50 ${report.latencyMillis.p50.toFixed(1)} ms, p99 `
    + `${report.latencyMillis.p99.toFixed(1)} ms; ${count(report.retries)} retries, ${count(report.failedChunks)} `
    + `failed chunks, ${count(report.failedItems)} failed items.`;

  // Throughput from the queue samples: chunks done between two samples over the time between them.
  const q = report.queue || [];
  const throughput = [];
  for (let i = 1; i < q.length; i++) {
    const dt = (q[i].atMillis - q[i - 1].atMillis) / 1000;
    if (dt > 0) throughput.push([q[i].atMillis / 1000, (q[i].done - q[i - 1].done) / dt]);
  }
  Charts.lines($("chart-throughput"), [{ label: "chunks/s", color: "#2f6fdf", points: throughput }], " s");
  $("queue-caption").textContent = "Queue, chunks";
  Charts.lines($("chart-queue"), [
    { label: "waiting", color: "#d08a16", points: q.map(p => [p.atMillis / 1000, p.waiting]) },
    { label: "in flight", color: "#2f6fdf", points: q.map(p => [p.atMillis / 1000, p.inFlight]) }], " s");

  const rows = report.chunkRows || [];
  const latencies = rows.filter(r => r.outcome === "ok").map(r => r.finishedMillis - r.dispatchedMillis);
  $("latency-caption").textContent = `Latency (dispatch to result), chunks per bin; ${count(latencies.length)} chunks`
    + (report.chunkRowsDropped ? ` (rows kept: ${count(rows.length)} of ${count(rows.length + report.chunkRowsDropped)})` : "");
  Charts.histogram($("chart-latency"), latencies, " ms");

  $("busy-caption").textContent = "Busy per node: busy time / (slots × time alive)";
  Charts.bars($("chart-busy"), (report.nodes || []).map(n =>
    ({ label: n.address, value: n.efficiency, text: `${pct(n.efficiency)} · ${count(n.chunks)} chunks` })));

  const step = Math.max(1, Math.ceil(rows.length / STREAM_TASKS));
  const sampled = rows.filter((r, i) => i % step === 0);
  const lanes = [...new Set(sampled.map(r => r.node + " " + r.slot))].sort();
  const lane = new Map(lanes.map((l, i) => [l, i]));
  const nodes = [...new Set(sampled.map(r => r.node))].sort();
  $("stream-caption").textContent = "Task stream: which slot ran which chunk when"
    + (step > 1 ? ` (every ${step}th chunk of ${count(rows.length)})` : "") + "; a colour per node, red: failed attempts";
  Charts.stream($("chart-stream"), lanes.map(l => laneLabel(l, nodes.length > 1)), sampled.map(r => ({
    lane: lane.get(r.node + " " + r.slot), start: r.startedMillis, end: r.finishedMillis,
    node: nodes.indexOf(r.node), failed: r.outcome === "failed" })));

  const failed = report.failedItemSamples || [];
  const why = detail.state === "FAILED" ? [`<tr><td>–</td><td>(the job)</td><td>${escape(detail.outcome || "")}</td></tr>`] : [];
  $("failures").tBodies[0].innerHTML = why.concat(failed.map(f =>
    `<tr><td class="num">${f.chunk}</td><td>${escape(f.item)}</td><td>${escape(f.reason)}</td></tr>`)).join("")
    || '<tr><td colspan="3" class="note">none</td></tr>';
}

/** A slot's lane: its slot name, with its node's port when several nodes ran the job. */
function laneLabel(lane, severalNodes) {
  const [node, slot] = lane.split(" ");
  return severalNodes ? node.split(":").pop() + "/" + slot.replace(/^slot-/, "") : slot;
}

$("job-report").addEventListener("click", async e => {
  e.preventDefault();
  const id = shownJob();
  const answer = await fetch("/v1/jobs/" + encodeURIComponent(id), { headers: headers() });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await answer.blob());
  link.download = `${id}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
});

connect();
