/**
 * HTML and Markdown reports from result files only, never the engine (docs/REPORTS.md):
 * {@link org.licensim.reports.Reports} (the entry points the CLI calls) reads a simulation
 * results directory ({@link org.licensim.reports.SimRun}), a capacity plan ({@code plan.json},
 * {@link org.licensim.reports.PlanPages}) or JMH JSON ({@link org.licensim.reports.BenchRun},
 * two runs compared by {@link org.licensim.reports.Comparison}); the pages
 * ({@link org.licensim.reports.SimulationPages}, {@link org.licensim.reports.BenchPages}) build
 * one {@link org.licensim.reports.Doc} with {@link org.licensim.reports.Charts} (XChart, SVG),
 * which {@link org.licensim.reports.HtmlWriter} (one self-contained page) and
 * {@link org.licensim.reports.MarkdownWriter} render. A bad result file is a
 * {@link org.licensim.reports.ReportException} naming it. Uses Jackson, XChart with
 * VectorGraphics2D and jsoup; not core, simulator or bench.
 */
package org.licensim.reports;
