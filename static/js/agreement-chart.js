// The economic picture's bar charts (templates/agreements/_economics.html, _rollup.html, and the
// key figures' templates/grants/key_figures.html), drawn with Chart.js (static/vendor/chartjs, loaded just before this file, only on pages with a chart).
//
// Each <canvas data-economics-chart="money|hours"> names the json_script element with the figures
// (data-chart-data: {"years" or "labels": [...], "money": {series: [...]}, "hours": {...}}, the
// series in the order the table has them) and the table it repeats (data-chart-table). The table is the content: the
// series' names are the table's own row headings (<th data-series="…">), so the chart and the
// table say the same in the page's language. The chart's <figure> stays hidden until it is drawn,
// so without JavaScript (or Chart.js) the page shows the tables only. No inline styles: the
// colours come from Designsystemet's custom properties, Chart.js sizes the canvas through the
// CSSOM, which the strict CSP allows.
(() => {
  "use strict";

  const COLOURS = [
    ["--ds-color-accent-base-default", "#0062ba"],
    ["--ds-color-success-base-default", "#068718"],
    ["--ds-color-brand2-base-default", "#a8489c"],
    ["--ds-color-neutral-base-default", "#5b6371"],
  ];

  function colour(index) {
    const [property, fallback] = COLOURS[index % COLOURS.length];
    const value = getComputedStyle(document.documentElement).getPropertyValue(property).trim();
    return value || fallback;
  }

  function seriesLabel(table, key) {
    const heading = table && table.querySelector(`th[data-series="${key}"]`);
    return heading ? heading.textContent.trim() : key;
  }

  function draw(canvas) {
    if (canvas.dataset.drawn || typeof window.Chart !== "function") {
      return;
    }
    const source = document.getElementById(canvas.dataset.chartData);
    const table = document.getElementById(canvas.dataset.chartTable);
    const kind = canvas.dataset.economicsChart;
    if (!source) {
      return;
    }
    const data = JSON.parse(source.textContent);
    if (!data[kind]) {
      return;
    }
    const language = document.documentElement.lang || "nb";
    const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: kind === "money" ? 0 : 1 });
    const datasets = Object.keys(data[kind]).map((key, index) => ({
      label: seriesLabel(table, key),
      data: data[kind][key],
      backgroundColor: colour(index),
      borderWidth: 0,
    }));
    const text = getComputedStyle(document.documentElement)
      .getPropertyValue("--ds-color-neutral-text-default")
      .trim();
    canvas.dataset.drawn = "true";
    // Shown before drawing: Chart.js sizes the chart to its (visible) container.
    const figure = canvas.closest("figure");
    if (figure) {
      figure.hidden = false;
    }
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels || data.years, datasets },
      options: {
        animation: false,
        responsive: true,
        color: text || "#1e2b3c",
        scales: {
          y: { beginAtZero: true, ticks: { callback: (value) => numbers.format(value) } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) =>
                `${item.dataset.label}: ${item.raw === null ? "–" : numbers.format(item.raw)}`,
            },
          },
        },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-economics-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  // A page part swapped in by htmx may carry a chart too.
  document.addEventListener("htmx:afterSettle", drawAll);
})();
