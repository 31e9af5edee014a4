/** The comparison as a Markdown table for the terminal: one column per target. */
import type { ComparisonReport } from "../report";
import { comparisonRows, problems } from "./rows";

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Renders the report; prices are list prices of the committed table (see docs/compare.md). */
export function renderMarkdown(report: ComparisonReport): string {
    const header = `| ${cell(report.env)} app stack on | ${report.targets.map((t) => t.target).join(" | ")} |`;
    const rule = `|---|${report.targets.map(() => "---").join("|")}|`;
    const rows = comparisonRows(report).map((row) => `| ${cell(`${row.section}: ${row.label}`)} | ${row.cells.map(cell).join(" | ")} |`);
    const issues = problems(report);
    return [
        `## Same app stack (Pulumi.${report.env}.yaml) on every target`,
        "",
        header,
        rule,
        ...rows,
        "",
        "Estimates: list prices from compare/priceTable.ts (on-demand, 730 h/month, data transfer excluded); see docs/compare.md.",
        ...(report.standInNotices ?? []).map((n) => `Stand-ins: ${cell(n)}`),
        ...(issues.length > 0 ? ["", "Problems:", ...issues.map((p) => `- ${p.replace(/\n/g, " ")}`)] : []),
        "",
    ].join("\n");
}
