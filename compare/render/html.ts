/**
 * The comparison as one self-contained HTML page: the comparison table, inline SVG bar charts
 * and the priced lines with their sources. No scripts, fonts or stylesheets are fetched.
 */
import { KINDS } from "../classify";
import type { ComparisonReport, TargetReport } from "../report";
import { comparisonRows, OWN_HARDWARE_NOTE, problems, usd } from "./rows";
import { barChart, escapeXml } from "./svg";

const KIND_COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"];
const MIN_MAX = [
    { name: "min scale", color: "#4e79a7" },
    { name: "max scale", color: "#f28e2b" },
];

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2330;background:#fff;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde;padding-bottom:4px}
p.lead{color:#556;margin:0 0 16px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #dde;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f2f4f8}td:first-child{width:170px}tr.section td{background:#e8ecf4;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:24px}.chart-title{font-size:14px;font-weight:600;fill:#1d2330}
.legend,.label,.value{font-size:12px;fill:#1d2330}.note{color:#556;font-size:13px}
.problem{color:#a61b1b}`;

function summaryTable(report: ComparisonReport): string {
    const head = `<tr><th>${escapeXml(report.env)} app stack on</th>${report.targets.map((t) => `<th>${escapeXml(t.target)}</th>`).join("")}</tr>`;
    const body: string[] = [];
    let section = "";
    for (const row of comparisonRows(report)) {
        if (row.section !== section) {
            section = row.section;
            body.push(`<tr class="section"><td colspan="${report.targets.length + 1}">${escapeXml(section)}</td></tr>`);
        }
        body.push(`<tr><td>${escapeXml(row.label)}</td>${row.cells.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`);
    }
    return `<table>${head}${body.join("")}</table>`;
}

function charts(report: ComparisonReport): string {
    const costs = report.targets.map((t) => ({ label: t.target, values: t.estimate ? [t.estimate.minUsd, t.estimate.maxUsd] : [0, 0] }));
    const vcpu = report.targets.map((t) => ({ label: t.target, values: t.capacity ? [t.capacity.vcpu.min, t.capacity.vcpu.max] : [0, 0] }));
    const counts = report.targets.map((t) => ({ label: t.target, values: KINDS.map((k) => t.plan?.counts[k] ?? 0) }));
    return `<div class="charts">${[
        barChart({ title: "Estimated monthly cost (USD)", series: MIN_MAX, groups: costs, format: (v) => usd(v) }),
        barChart({ title: "Provisioned vCPU", series: MIN_MAX, groups: vcpu, format: (v) => String(v) }),
        barChart({
            title: "Resources created, by kind",
            series: KINDS.map((name, i) => ({ name, color: KIND_COLORS[i] })),
            groups: counts,
            format: (v) => String(v),
            stacked: true,
        }),
    ].join("")}</div>`;
}

function costLines(t: TargetReport): string {
    if (t.estimateError !== undefined) return `<p class="problem">${escapeXml(t.estimateError)}</p>`;
    if (!t.estimate) return `<p class="note">no estimate</p>`;
    if (t.estimate.lines.length === 0)
        return `<p class="note">${escapeXml(OWN_HARDWARE_NOTE)}: nothing is rented; the cost is the machines, power and your time.</p>`;
    const rows = t.estimate.lines.map(
        (l) =>
            `<tr><td>${escapeXml(l.what)}</td><td>${escapeXml(l.label)}</td><td>${escapeXml(usd(l.minUsd))}</td><td>${escapeXml(usd(l.maxUsd))}</td><td>${escapeXml(l.assumption)}; as of ${escapeXml(l.asOf)}; ${escapeXml(l.source)}</td></tr>`,
    );
    return `<table><tr><th>used by</th><th>price line</th><th>min / month</th><th>max / month</th><th>assumption, date, source</th></tr>${rows.join("")}<tr><td colspan="2"><b>total</b></td><td><b>${escapeXml(usd(t.estimate.minUsd))}</b></td><td><b>${escapeXml(usd(t.estimate.maxUsd))}</b></td><td></td></tr></table>`;
}

/** Renders the report as a complete HTML document. */
export function renderHtml(report: ComparisonReport): string {
    const issues = problems(report);
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cloud comparison: ${escapeXml(report.env)}</title><style>${STYLE}</style></head>
<body>
<h1>The ${escapeXml(report.env)} app stack on every target</h1>
<p class="lead">App, services and data of Pulumi.${escapeXml(report.env)}.yaml, evaluated under mocks (nothing deployed). Generated ${escapeXml(report.generatedAt)}. Costs are list-price estimates: on-demand, 730 h/month, no discounts, data transfer excluded (docs/compare.md).</p>
${(report.standInNotices ?? []).map((n) => `<p class="note">Stand-ins: ${escapeXml(n)}</p>`).join("\n")}
${issues.length > 0 ? `<h2>Problems</h2><ul>${issues.map((p) => `<li class="problem">${escapeXml(p)}</li>`).join("")}</ul>` : ""}
${charts(report)}
<h2>Side by side</h2>
${summaryTable(report)}
<h2>Cost lines</h2>
${report.targets.map((t) => `<h3>${escapeXml(t.target)}</h3>${costLines(t)}`).join("\n")}
</body></html>
`;
}
