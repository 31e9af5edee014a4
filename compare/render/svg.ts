/** Inline SVG bar charts (no scripts, no external assets). */

/** One group of bars (a target) with one value per series. */
export interface BarGroup {
    readonly label: string;
    readonly values: readonly number[];
}

/** A chart: series names and colours, groups of bars, how values are printed. */
export interface BarChart {
    readonly title: string;
    readonly series: readonly { readonly name: string; readonly color: string }[];
    readonly groups: readonly BarGroup[];
    readonly format: (value: number) => string;
    /** Stack the series in one bar per group instead of side by side. Default false. */
    readonly stacked?: boolean;
}

/** Escapes text for HTML and SVG. */
export function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const WIDTH = 560;
const LABEL_W = 70;
const BAR_H = 18;
const GAP = 14;
const LEGEND_W = 96;

/** Renders a horizontal bar chart as an SVG element. */
export function barChart(chart: BarChart): string {
    const perGroup = chart.stacked ? 1 : chart.series.length;
    const groupH = perGroup * BAR_H + GAP;
    const perRow = Math.max(1, Math.floor((WIDTH - LABEL_W) / LEGEND_W));
    const legendH = 8 + Math.ceil(chart.series.length / perRow) * 16;
    const height = 30 + legendH + chart.groups.length * groupH;
    const totals = chart.groups.map((g) => (chart.stacked ? g.values.reduce((a, b) => a + b, 0) : Math.max(0, ...g.values)));
    const max = Math.max(1, ...totals);
    const plotW = WIDTH - LABEL_W - 110;
    const scale = (v: number) => (v / max) * plotW;
    const parts: string[] = [`<text x="0" y="16" class="chart-title">${escapeXml(chart.title)}</text>`];
    chart.series.forEach((s, i) => {
        const x = LABEL_W + (i % perRow) * LEGEND_W;
        const y = 28 + Math.floor(i / perRow) * 16;
        parts.push(
            `<rect x="${x}" y="${y}" width="12" height="12" fill="${s.color}"/><text x="${x + 16}" y="${y + 10}" class="legend">${escapeXml(s.name)}</text>`,
        );
    });
    chart.groups.forEach((group, gi) => {
        const top = 30 + legendH + gi * groupH;
        parts.push(`<text x="0" y="${top + (perGroup * BAR_H) / 2 + 4}" class="label">${escapeXml(group.label)}</text>`);
        let offset = 0;
        group.values.forEach((value, si) => {
            const w = Math.max(value > 0 ? 2 : 0, scale(value));
            const x = LABEL_W + (chart.stacked ? offset : 0);
            const y = top + (chart.stacked ? 0 : si * BAR_H);
            parts.push(
                `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H - 3}" fill="${chart.series[si]?.color ?? "#888"}"><title>${escapeXml(`${group.label} ${chart.series[si]?.name ?? ""}: ${chart.format(value)}`)}</title></rect>`,
            );
            if (!chart.stacked)
                parts.push(`<text x="${(x + w + 6).toFixed(1)}" y="${y + 12}" class="value">${escapeXml(chart.format(value))}</text>`);
            offset += w;
        });
        if (chart.stacked)
            parts.push(
                `<text x="${(LABEL_W + offset + 6).toFixed(1)}" y="${top + 12}" class="value">${escapeXml(chart.format(totals[gi]))}</text>`,
            );
    });
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(chart.title)}">${parts.join("")}</svg>`;
}
