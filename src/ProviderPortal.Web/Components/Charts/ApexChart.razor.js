// Draws a ChartSpec (see ChartSpec.cs) with ApexCharts, loaded once from the build's copy of the npm package.
let loading;

function loadApexCharts() {
    if (window.ApexCharts) {
        return Promise.resolve(window.ApexCharts);
    }

    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL("lib/apexcharts/apexcharts.min.js", document.baseURI).href;
        script.onload = () => resolve(window.ApexCharts);
        script.onerror = () => reject(new Error("ApexCharts could not be loaded"));
        document.head.appendChild(script);
    });
    return loading;
}

const units = ["B", "KiB", "MiB", "GiB", "TiB"];

function bytes(value) {
    let v = Math.abs(value ?? 0), i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return `${(value < 0 ? -v : v).toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

function duration(seconds) {
    const s = Math.max(0, seconds ?? 0);
    if (s >= 86400) return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
    if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
    if (s >= 60) return `${Math.ceil(s / 60)} min`;
    return `${Math.ceil(s)} s`;
}

const formatters = {
    plain: v => (v ?? 0).toLocaleString(),
    bytes: v => bytes(v),
    bytesPerSecond: v => `${bytes(v)}/s`,
    duration: v => duration(v),
};

function options(spec) {
    const format = formatters[spec.unit] ?? formatters.plain;
    const range = spec.kind === "rangeBar";
    // A range bar with an empty series fails to draw in ApexCharts: leave empty ones out there.
    const series = (spec.series ?? []).filter(s => !range || (s.points ?? []).length > 0).map(s => ({
        name: s.name,
        color: s.color,
        data: (s.points ?? []).map(p => range
            ? { x: p.category, y: [p.from, p.to] }
            : { x: spec.timeAxis ? Date.parse(p.at) : p.category, y: p.value }),
    }));
    return {
        chart: { type: spec.kind, height: spec.height, animations: { enabled: false }, toolbar: { show: false }, background: "transparent" },
        theme: { mode: spec.dark ? "dark" : "light" },
        series,
        stroke: { curve: "straight", width: range ? 0 : 2 },
        dataLabels: { enabled: false },
        legend: { show: true, position: "top" },
        plotOptions: range ? { bar: { horizontal: true, rangeBarGroupRows: true } } : {},
        xaxis: range
            ? { type: "numeric", labels: { formatter: v => format(Number(v)) } }
            : { type: spec.timeAxis ? "datetime" : "category", labels: { datetimeUTC: false } },
        yaxis: range ? {} : { title: { text: spec.valueTitle }, labels: { formatter: v => format(v) }, min: 0 },
        // Keys are left out rather than set to undefined: ApexCharts would take an undefined over its default.
        tooltip: Object.assign(
            { shared: !range, y: { formatter: v => format(v) } },
            spec.timeAxis && !range ? { x: { format: "dd MMM HH:mm:ss" } } : {}),
        annotations: {
            yaxis: range ? [] : (spec.lines ?? []).map(l => ({
                y: l.value, borderColor: l.color ?? "#e53935", strokeDashArray: 4,
                label: { text: l.label, borderColor: l.color ?? "#e53935", style: { color: "#fff", background: l.color ?? "#e53935" } },
            })),
        },
        noData: { text: "No data yet" },
    };
}

export async function create(element, json) {
    const ApexCharts = await loadApexCharts();
    const chart = new ApexCharts(element, options(JSON.parse(json)));
    await chart.render();
    return chart;
}

export async function update(chart, json) {
    const next = options(JSON.parse(json));
    await chart.updateOptions(next, false, false);
}

export function destroy(chart) {
    chart?.destroy();
}
