// airace dashboard behaviour: draw charts, re-rank with new weights, review claims.
// Text from the server is always inserted with textContent, never as HTML.
"use strict";

const lang = document.body.dataset.lang || "en";
const labelsNode = document.getElementById("labels");
const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};
const label = (key, fallback) => labels[key] || fallback || key;
// Replications of the Monte Carlo when re-ranking with new weights: enough for stable
// intervals, few enough to answer while the slider moves (the server caches each answer).
const INTERACTIVE_REPLICATIONS = 200;
const numberFormat = (digits) =>
  new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

function formatNumber(value, digits) {
  return value === null || value === undefined || Number.isNaN(value)
    ? "–"
    : numberFormat(digits).format(value);
}

function drawCharts() {
  if (typeof window.vegaEmbed !== "function") return;
  const localeNode = document.getElementById("format-locale");
  const formatLocale = localeNode ? JSON.parse(localeNode.textContent) : undefined;
  for (const element of document.querySelectorAll(".chart[data-spec]")) {
    const source = document.getElementById(element.dataset.spec);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    window
      .vegaEmbed(element, spec, { renderer: "svg", actions: false, formatLocale })
      .then(() => element.setAttribute("data-rendered", "true"))
      .catch((error) => {
        element.textContent = String(error);
      });
  }
}

// -- reweighting -------------------------------------------------------------------------

function rankingRow(row, pillars) {
  const tr = document.createElement("tr");
  tr.dataset.entity = row.entity;
  const cell = (text, numeric) => {
    const td = document.createElement("td");
    if (numeric) td.className = "num";
    td.textContent = text;
    tr.appendChild(td);
    return td;
  };
  cell(String(row.rank), true);
  const name = cell("", false);
  const link = document.createElement("a");
  link.href = `/countries/${encodeURIComponent(row.entity)}?lang=${lang}`;
  link.textContent = row.name;
  const id = document.createElement("span");
  id.className = "id";
  id.textContent = row.entity;
  name.append(link, " ", id);
  cell(formatNumber(row.score, 1), true);
  for (const pillar of pillars) cell(formatNumber(row.pillars[pillar], 1), true);
  cell(
    row.low_rank === null ? "" : `${formatNumber(row.low_rank, 0)}–${formatNumber(row.high_rank, 0)}`,
    true,
  );
  cell(`${formatNumber(row.coverage * 100, 0)}%`, true);
  return tr;
}

function setUpWeights() {
  const form = document.getElementById("weights");
  const table = document.getElementById("ranking");
  if (!form || !table) return;
  const sliders = [...form.querySelectorAll("input[type=range][data-pillar]")];
  let timer = null;
  let latest = 0;
  const update = async () => {
    const weights = sliders
      .filter((slider) => Number(slider.value) > 0)
      .map((slider) => `${slider.dataset.pillar}=${slider.value}`)
      .join(",");
    if (!weights) return;
    const asked = ++latest;
    const status = document.getElementById("weights-status");
    table.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(
        `/api/rankings?replications=${INTERACTIVE_REPLICATIONS}&weights=${encodeURIComponent(weights)}`,
      );
      if (asked !== latest) return; // a newer request is on its way
      const answer = await response.json();
      if (!response.ok) throw new Error((answer.error && answer.error.message) || response.status);
      const names = new Map(
        [...table.querySelectorAll("tbody tr[data-entity]")].map((tr) => [
          tr.dataset.entity,
          tr.querySelector("a").textContent,
        ]),
      );
      const body = table.querySelector("tbody");
      body.replaceChildren(
        ...answer.rows.map((row) =>
          rankingRow({ ...row, name: names.get(row.entity) || row.name }, answer.pillars),
        ),
      );
      table.dataset.weights = weights;
      if (status) status.textContent = "";
    } catch (error) {
      if (status) status.textContent = `${label("failed")}: ${error.message || error}`;
    } finally {
      if (asked === latest) table.removeAttribute("aria-busy");
    }
  };
  for (const slider of sliders) {
    slider.addEventListener("input", () => {
      slider.nextElementSibling.textContent = formatNumber(Number(slider.value), 1);
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
  }
  form.addEventListener("reset", () => {
    setTimeout(() => {
      for (const slider of sliders) slider.nextElementSibling.textContent = formatNumber(Number(slider.value), 1);
      update();
    });
  });
}

// -- review ------------------------------------------------------------------------------

function setUpReview() {
  const tokenInput = document.getElementById("token");
  if (!tokenInput) return;
  tokenInput.value = sessionStorage.getItem("airace-token") || "";
  tokenInput.addEventListener("change", () => sessionStorage.setItem("airace-token", tokenInput.value));
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-review]");
    if (!button) return;
    const row = button.closest("tr");
    const message = row.querySelector(".message");
    const body = { decision: button.dataset.review };
    if (body.decision === "correct") {
      const typed = window.prompt(button.dataset.prompt || "value");
      if (typed === null) return;
      // Vietnamese writes 1.234,5 and English 1,234.5: drop the group mark, read the decimal.
      const group = lang === "vi" ? /\./g : /,/g;
      const value = Number(typed.trim().replace(group, "").replace(",", "."));
      if (!typed.trim() || !Number.isFinite(value)) {
        message.className = "message error";
        message.textContent = label("not_a_number");
        return;
      }
      body.value = value;
    }
    message.className = "message";
    message.textContent = "…";
    let response;
    try {
      response = await fetch(`/api/claims/${button.dataset.claim}/review`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokenInput.value}` },
        body: JSON.stringify(body),
      });
    } catch (error) {
      message.className = "message error";
      message.textContent = `${label("failed")}: ${error.message || error}`;
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      message.className = "message error";
      message.textContent = (answer.error && answer.error.message) || String(response.status);
      return;
    }
    const status = answer.review.status;
    row.className = `status-${status}`;
    row.querySelector(".status").textContent = label(`status.${status}`, status);
    message.textContent = message.dataset.saved || "saved";
  });
}

function scrollToSelected() {
  const selected = document.querySelector("mark.selected");
  if (selected) selected.scrollIntoView({ block: "center" });
}

document.addEventListener("DOMContentLoaded", () => {
  drawCharts();
  setUpWeights();
  setUpReview();
  scrollToSelected();
});
