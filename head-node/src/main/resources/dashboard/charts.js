// Small canvas charts for the dashboard: lines over time, a histogram, horizontal bars and a
// task stream. Each chart writes how many data points it drew into the canvas's data-points
// attribute (what the browser test reads).
"use strict";

const Charts = (() => {
  const PAD = { left: 52, right: 10, top: 8, bottom: 24 };
  const INK = "#1d2430", MUTED = "#6b7380", GRID = "#e6e9ed";

  /** The canvas sized to its box at the screen's pixel ratio; returns its context and size in CSS pixels. */
  function prepare(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    canvas.width = Math.max(1, Math.round(w * ratio));
    canvas.height = Math.max(1, Math.round(h * ratio));
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = "11px system-ui, sans-serif";
    return { g, w, h };
  }

  /** About five round numbers from 0 to max. */
  function ticks(max) {
    if (!(max > 0)) return [0];
    const raw = max / 5, p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * p).find(s => s >= raw);
    const out = [];
    for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
    return out;
  }

  function short(v) {
    if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(v % 1e6 ? 1 : 0) + "M";
    if (Math.abs(v) >= 1e3) return (v / 1e3).toFixed(v % 1e3 ? 1 : 0) + "k";
    return Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1);
  }

  function axes(g, w, h, xMax, yMax, xUnit) {
    g.strokeStyle = GRID; g.fillStyle = MUTED; g.lineWidth = 1;
    g.textAlign = "right"; g.textBaseline = "middle";
    for (const v of yMax == null ? [] : ticks(yMax)) {
      const y = h - PAD.bottom - (v / yMax) * (h - PAD.top - PAD.bottom);
      g.beginPath(); g.moveTo(PAD.left, y); g.lineTo(w - PAD.right, y); g.stroke();
      g.fillText(short(v), PAD.left - 4, y);
    }
    g.textAlign = "center"; g.textBaseline = "top";
    for (const v of ticks(xMax)) {
      const x = PAD.left + (v / xMax) * (w - PAD.left - PAD.right);
      g.fillText(short(v) + (xUnit || ""), x, h - PAD.bottom + 4);
    }
  }

  function empty(canvas, g, w, h, text) {
    g.fillStyle = MUTED; g.textAlign = "center"; g.textBaseline = "middle";
    g.fillText(text, w / 2, h / 2);
    canvas.dataset.points = "0";
  }

  /** Lines: series = [{label, color, points: [[x, y], ...]}], x in seconds. */
  function lines(canvas, series, xUnit) {
    const { g, w, h } = prepare(canvas);
    const all = series.flatMap(s => s.points);
    if (all.length === 0) return empty(canvas, g, w, h, "no data yet");
    const xMax = Math.max(1e-9, ...all.map(p => p[0]));
    const yMax = Math.max(1e-9, ...all.map(p => p[1])) * 1.05;
    axes(g, w, h, xMax, yMax, xUnit);
    const sx = x => PAD.left + (x / xMax) * (w - PAD.left - PAD.right);
    const sy = y => h - PAD.bottom - (y / yMax) * (h - PAD.top - PAD.bottom);
    let legendX = PAD.left + 6;
    for (const s of series) {
      g.strokeStyle = s.color; g.lineWidth = 1.6; g.beginPath();
      s.points.forEach((p, i) => i === 0 ? g.moveTo(sx(p[0]), sy(p[1])) : g.lineTo(sx(p[0]), sy(p[1])));
      g.stroke();
      if (series.length > 1) {
        g.fillStyle = s.color; g.textAlign = "left"; g.textBaseline = "top";
        g.fillText(s.label, legendX, PAD.top);
        legendX += g.measureText(s.label).width + 14;
      }
    }
    canvas.dataset.points = String(all.length);
  }

  /** A histogram of values into about `bins` bins of whole counts. */
  function histogram(canvas, values, unit) {
    const { g, w, h } = prepare(canvas);
    if (values.length === 0) return empty(canvas, g, w, h, "no chunk timings");
    const sorted = [...values].sort((a, b) => a - b);
    // Up to the 99.5th percentile, so one straggler does not squeeze the rest into one bin.
    const top = Math.max(1e-9, sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.995))]);
    const bins = 40, counts = new Array(bins).fill(0);
    for (const v of sorted) counts[Math.min(bins - 1, Math.floor((v / top) * bins))]++;
    const yMax = Math.max(1, ...counts) * 1.05;
    axes(g, w, h, top, yMax, unit);
    const bw = (w - PAD.left - PAD.right) / bins;
    g.fillStyle = "#2f6fdf";
    counts.forEach((c, i) => {
      const bh = (c / yMax) * (h - PAD.top - PAD.bottom);
      g.fillRect(PAD.left + i * bw + 1, h - PAD.bottom - bh, Math.max(1, bw - 2), bh);
    });
    canvas.dataset.points = String(values.length);
  }

  /** Horizontal bars 0..1: rows = [{label, value, text}]. */
  function bars(canvas, rows) {
    const { g, w, h } = prepare(canvas);
    if (rows.length === 0) return empty(canvas, g, w, h, "no nodes");
    const left = 150, rowH = Math.min(26, (h - 8) / rows.length);
    g.textBaseline = "middle";
    rows.forEach((r, i) => {
      const y = 4 + i * rowH, bw = Math.max(20, w - left - 130);
      g.fillStyle = INK; g.textAlign = "right"; g.fillText(r.label, left - 6, y + rowH / 2);
      g.fillStyle = "#d9dee4"; g.fillRect(left, y + 3, bw, rowH - 6);
      g.fillStyle = "#2e9d5b"; g.fillRect(left, y + 3, bw * Math.max(0, Math.min(1, r.value)), rowH - 6);
      g.fillStyle = INK; g.textAlign = "left"; g.fillText(r.text, left + bw + 6, y + rowH / 2);
    });
    canvas.dataset.points = String(rows.length);
  }

  /**
   * Dask's task stream: one lane per slot, one box per chunk from its start to its finish
   * (ms from the job's start), coloured by node. tasks = [{lane, node, start, end, failed}].
   */
  function stream(canvas, lanes, tasks) {
    const { g, w, h } = prepare(canvas);
    if (tasks.length === 0) return empty(canvas, g, w, h, "no chunk timings");
    const xMax = Math.max(1e-9, ...tasks.map(t => t.end)) / 1000;
    axes(g, w, h, xMax, null, " s");
    const laneH = (h - PAD.top - PAD.bottom) / lanes.length;
    const sx = ms => PAD.left + (ms / 1000 / xMax) * (w - PAD.left - PAD.right);
    g.fillStyle = MUTED; g.textAlign = "right"; g.textBaseline = "middle";
    if (laneH >= 9) lanes.forEach((l, i) => g.fillText(l, PAD.left - 4, PAD.top + (i + 0.5) * laneH));
    const palette = ["#2f6fdf", "#2e9d5b", "#8e6ad8", "#d08a16", "#1a9cb0", "#c2549d"];
    for (const t of tasks) {
      g.fillStyle = t.failed ? "#d2453a" : palette[t.node % palette.length];
      const x = sx(t.start), width = sx(t.end) - x;
      // A hair of white between neighbours, where the box is wide enough to spare it.
      g.fillRect(x, PAD.top + t.lane * laneH + 1, Math.max(1, width > 3 ? width - 1 : width), Math.max(1, laneH - 2));
    }
    canvas.dataset.points = String(tasks.length);
  }

  return { lines, histogram, bars, stream };
})();
