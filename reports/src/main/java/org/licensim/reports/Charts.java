package org.licensim.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn by XChart and written as SVG by VectorGraphics2D. Every chart has
 * a title, labelled axes with units, a legend when it has more than one series, and XChart's
 * tick spacing; colours are one fixed palette so a series keeps its colour across charts.
 */
public final class Charts {
    static {
        // charts are drawn off screen; no display is needed or wanted
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 760;
    static final int HEIGHT = 320;
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x17becf)};

    private Charts() {
    }

    /** A chart and the SVG it renders to. */
    public record Svg(String name, String title, String svg) {
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setBaseFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAnnotationTextFont(ANNOTATION_FONT);
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setSeriesColors(PALETTE);
        s.setAntiAlias(true);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            a.setPlotGridLinesColor(new Color(0xe5e5e5));
            a.setPlotBorderVisible(false);
            a.setAxisTickMarkLength(3);
        }
    }

    /**
     * Tick labels of a day axis as dates: "5 Jan 2026" at the first tick and at the first tick of
     * each new year, "14 Jan" elsewhere, so two neighbouring labels never both carry a year and
     * run together ("5 Jan 202614 Jan 2026"); XChart places the ticks at least 90 px apart and
     * asks for their labels from left to right, so a label at or left of the one before starts a
     * new pass over the axis.
     */
    static void dateAxis(XYChart c, java.time.LocalDate day0) {
        c.getStyler().setXAxisTickMarkSpacingHint(90);
        java.time.format.DateTimeFormatter dayMonth = java.time.format.DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
        java.time.format.DateTimeFormatter full = java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
        double[] lastX = {Double.POSITIVE_INFINITY};
        int[] lastYear = {Integer.MIN_VALUE};
        c.getStyler().setXAxisTickLabelsFormattingFunction(x -> {
            java.time.LocalDate d = day0.plusDays(Math.round(x));
            boolean newPass = x <= lastX[0];
            boolean withYear = newPass || d.getYear() != lastYear[0];
            lastX[0] = x;
            lastYear[0] = d.getYear();
            return (withYear ? full : dayMonth).format(d);
        });
    }

    /**
     * A y range that shows where the series meet instead of starting at 0: from a little below
     * the smallest value to a little above the largest (0 when the values come near it).
     */
    static void tightY(XYChart c, double min, double max) {
        double span = Math.max(1, max - min);
        double lo = min - span * 0.25;
        c.getStyler().setYAxisMin(lo < span ? 0.0 : Math.floor(lo));
        c.getStyler().setYAxisMax(Math.ceil(max + span * 0.15));
    }

    /**
     * Seats of one product over the simulated days, on a date axis: capacity and seats consumed,
     * on a y range that shows where they meet, with the first day the product ran short marked.
     * Users waiting for a seat are {@link #waiting}'s chart below it (they are thousands of times
     * fewer than the seats and would lie flat on this one's floor).
     */
    public static Svg seats(String name, String product, java.time.LocalDate day0, int[] day, int[] consumed,
                            int[] capacity, int shortDay, String shortDate) {
        XYChart c = timeChart(product + ": seats", "seats", day0);
        tightY(c, capacity, consumed, consumed);
        double[] x = doubles(day);
        line(c, "seats available (capacity)", x, doubles(capacity), XYSeries.XYSeriesRenderStyle.Step, true);
        line(c, "seats consumed", x, doubles(consumed), XYSeries.XYSeriesRenderStyle.Line, false);
        String mark = shortDay < 0 ? "" : mark(c, day[shortDay], "short from " + shortDate, 0.08, day[0],
                day[day.length - 1]);
        return render(name, product + ": seats", "x axis: date; y axis: seats, from " + n(c.getStyler().getYAxisMin())
                + "; series: seats available (capacity), seats consumed" + (mark.isEmpty() ? "; never short"
                : "; marked: " + mark), c);
    }

    /** A chart over dates from {@code day0}: the house style, the legend below, whole numbers on the y axis. */
    private static XYChart timeChart(String title, String yTitle, java.time.LocalDate day0) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("date").yAxisTitle(yTitle)
                .build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setYAxisDecimalPattern("#,##0");
        dateAxis(c, day0);
        return c;
    }

    /** {@link #tightY(XYChart, double, double)} over a capacity series and a lower and an upper one. */
    private static void tightY(XYChart c, int[] capacity, int[] lower, int[] upper) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < capacity.length; i++) {
            lo = Math.min(lo, Math.min(capacity[i], lower[i]));
            hi = Math.max(hi, Math.max(capacity[i], upper[i]));
        }
        tightY(c, lo, hi);
    }

    /** The font of a chart's marks (a purchase's "buy ... by ..."), as the axes' words. */
    static final Font ANNOTATION_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    /**
     * A vertical line at day {@code x} labelled {@code text} at {@code height} (0 bottom, 1 top) of
     * the y range, on an x axis from {@code xMin} to {@code xMax}. XChart centres the label on its
     * x, so a mark near either end (a purchase due on day 0) would run over the y axis's labels or
     * off the plot: the label is moved inward until it fits, the line stays on its day.
     */
    private static String mark(XYChart c, int x, String text, double height, double xMin, double xMax) {
        c.addAnnotation(new AnnotationLine(x, true, false));
        c.addAnnotation(new AnnotationText(text, labelX(text, x, xMin, xMax), c.getStyler().getYAxisMin()
                + (c.getStyler().getYAxisMax() - c.getStyler().getYAxisMin()) * height, false));
        return text;
    }

    /** The narrowest the plot of a {@link #WIDTH}-wide time chart gets (y axis labels and title to its left). */
    static final int PLOT_WIDTH_AT_LEAST = WIDTH - 130;

    /** Where a label of {@code text} centred near {@code x} sits wholly inside an axis from {@code xMin} to {@code xMax}. */
    static double labelX(String text, double x, double xMin, double xMax) {
        if (!(xMax > xMin)) {
            return x;
        }
        double px = ANNOTATION_FONT.getStringBounds(text, new java.awt.font.FontRenderContext(null, true, true)).getWidth();
        double half = (px / 2 + 8) * (xMax - xMin) / PLOT_WIDTH_AT_LEAST;
        if (2 * half >= xMax - xMin) {
            return (xMin + xMax) / 2;
        }
        return Math.max(xMin + half, Math.min(xMax - half, x));
    }

    /** The top of a filled area's y axis: above its highest value with headroom, so the area stays inside the axes. */
    static double areaTop(int[] values) {
        int top = 0;
        for (int v : values) {
            top = Math.max(top, v);
        }
        return Math.max(1.0, Math.ceil(top * 1.15 + 1));
    }

    /** Users waiting for a seat of one product, by date, from 0. */
    public static Svg waiting(String name, String product, java.time.LocalDate day0, int[] day, int[] waiting) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT * 2 / 3).title(product + ": users waiting for a seat")
                .xAxisTitle("date").yAxisTitle("users").build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setYAxisDecimalPattern("#,##0");
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(areaTop(waiting));
        dateAxis(c, day0);
        XYSeries s = c.addSeries("users waiting for a seat", doubles(day), doubles(waiting));
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setFillColor(new Color(0xd62728, false).brighter());
        s.setLineColor(PALETTE[1]);
        s.setLineWidth(1.4f);
        return render(name, product + ": users waiting for a seat", "x axis: date; y axis: users waiting, from 0; series: "
                + "users waiting for a seat", c);
    }

    /**
     * A plan's demand for one product over time: the band between the low and high quantile of
     * the runs, their median, the capacity the scenario has, and the purchase the plan advises
     * marked on the day it is due.
     */
    public static Svg demandBand(String name, String product, java.time.LocalDate day0, int[] day, int[] capacity,
                                 int[] low, int[] median, int[] high, String bandLabel, int buyDay, String buyLabel) {
        XYChart c = timeChart(product + ": demand against capacity", "users wanting a seat", day0);
        tightY(c, capacity, low, high);
        // the band as one closed polygon: along the high quantile, back along the low one
        double[] bx = new double[day.length * 2];
        double[] by = new double[day.length * 2];
        for (int i = 0; i < day.length; i++) {
            bx[i] = day[i];
            by[i] = high[i];
            bx[bx.length - 1 - i] = day[i];
            by[by.length - 1 - i] = low[i];
        }
        XYSeries band = c.addSeries(bandLabel, bx, by);
        band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        band.setMarker(SeriesMarkers.NONE);
        band.setFillColor(new Color(0x1f, 0x77, 0xb4, 60));
        band.setLineColor(new Color(0x1f, 0x77, 0xb4, 90));
        band.setLineWidth(0.6f);
        double[] x = doubles(day);
        line(c, "median demand", x, doubles(median), XYSeries.XYSeriesRenderStyle.Line, false).setLineColor(PALETTE[0]);
        line(c, "capacity", x, doubles(capacity), XYSeries.XYSeriesRenderStyle.Step, true).setLineColor(PALETTE[1]);
        String mark = buyDay < 0 ? "" : mark(c, buyDay, buyLabel, 0.92, day.length == 0 ? buyDay : day[0],
                day.length == 0 ? buyDay : day[day.length - 1]);
        return render(name, product + ": demand against capacity", "x axis: date; y axis: users wanting a seat (consumed "
                + "plus waiting), from " + n(c.getStyler().getYAxisMin()) + "; series: " + bandLabel
                + ", median demand, capacity" + (mark.isEmpty() ? "; no purchase needed" : "; marked: " + mark), c);
    }

    /** Several series over the days (errors by kind, events by type), on a date axis. */
    public static Svg series(String name, String title, String yTitle, java.time.LocalDate day0, int[] day,
                             Map<String, int[]> series) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(Math.max(HEIGHT, 60 + 18 * series.size())).title(title)
                .xAxisTitle("date").yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setYAxisDecimalPattern("#,##0");
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setLegendVisible(series.size() > 1);
        dateAxis(c, day0);
        double[] x = doubles(day);
        series.forEach((k, v) -> line(c, k, x, doubles(v), XYSeries.XYSeriesRenderStyle.Line, false));
        return render(name, title, "x axis: date; y axis: " + yTitle + "; series: "
                + String.join(", ", series.keySet()), c);
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /**
     * Bars with error bars: one bar per category and series (e.g. benchmark params x resolver),
     * {@code errors} the half-width of JMH's interval (0 when it gave none).
     */
    public static Svg bars(String name, String title, String yTitle, List<String> categories,
                           Map<String, double[][]> seriesScoresAndErrors, boolean logY) {
        CategoryChart c = barChart(title, yTitle, categories, seriesScoresAndErrors, logY);
        return render(name, title, "y axis: " + yTitle + "; categories: " + String.join(", ", categories)
                + "; series: " + String.join(", ", seriesScoresAndErrors.keySet()), c);
    }

    /** The chart {@link #bars} renders. */
    static CategoryChart barChart(String title, String yTitle, List<String> categories,
                                  Map<String, double[][]> seriesScoresAndErrors, boolean logY) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("")
                .yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setLegendVisible(seriesScoresAndErrors.size() > 1);
        c.getStyler().setErrorBarsColor(Color.BLACK);
        c.getStyler().setErrorBarsColorSeriesColor(false);
        c.getStyler().setYAxisDecimalPattern(logY ? "#,##0.##" : "#,##0.###");
        c.getStyler().setYAxisLogarithmic(logY);
        if (logY) {
            c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        }
        c.getStyler().setAvailableSpaceFill(0.7);
        if (categories.size() > 4) {
            c.getStyler().setXAxisLabelRotation(40);
        }
        c.getStyler().setXAxisMaxLabelCount(categories.size()); // every bar labelled, none skipped
        seriesScoresAndErrors.forEach((k, v) -> {
            List<Number> ys = new ArrayList<>();
            List<Number> es = new ArrayList<>();
            boolean intervals = false;
            for (int i = 0; i < categories.size(); i++) {
                ys.add(v[0][i]);
                // an interval reaching below zero is drawn down to zero: a time or a count is never negative
                es.add(Double.isNaN(v[1][i]) ? 0.0 : Math.min(v[1][i], logY ? v[0][i] * 0.999 : v[0][i]));
                intervals |= !Double.isNaN(v[1][i]) && v[1][i] > 0;
            }
            // XChart's bars start at zero, which a log axis cannot show: on a log axis each value is a dot;
            // a series without intervals (a plan's quantiles, a smoke run) gets no error bars at all
            CategorySeries s = logY || !intervals ? c.addSeries(k, categories, ys) : c.addSeries(k, categories, ys, es);
            s.setChartCategorySeriesRenderStyle(logY ? CategorySeries.CategorySeriesRenderStyle.Scatter
                    : CategorySeries.CategorySeriesRenderStyle.Bar);
            if (logY) {
                s.setMarker(SeriesMarkers.DIAMOND);
            }
        });
        return c;
    }

    /** Latency percentiles as lines over a percentile axis, one line per benchmark, log scale. */
    public static Svg percentiles(String name, String title, String unit, Map<String, double[]> byBenchmark,
                                  List<String> percentileLabels) {
        // one legend line per benchmark beside the plot: 13 series below it left the plot 90 px high
        CategoryChart c = new CategoryChartBuilder().width(WIDTH + 140).height(Math.max(HEIGHT, 80 + 18 * byBenchmark.size()))
                .title(title).xAxisTitle("percentile").yAxisTitle("latency (" + unit + ", log scale)").build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setOverlapped(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setYAxisDecimalPattern("#,##0.##");
        c.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        byBenchmark.forEach((k, v) -> {
            List<Number> ys = new ArrayList<>();
            for (double d : v) {
                ys.add(Double.isNaN(d) ? 1e-3 : Math.max(d, 1e-3));
            }
            c.addSeries(k, percentileLabels, ys).setMarker(SeriesMarkers.CIRCLE);
        });
        return render(name, title, "x axis: percentile (" + String.join(", ", percentileLabels) + "); y axis: latency ("
                + unit + ", log scale); series: " + String.join(", ", byBenchmark.keySet()), c);
    }

    private static XYSeries line(XYChart c, String name, double[] x, double[] y, XYSeries.XYSeriesRenderStyle style,
                                 boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setXYSeriesRenderStyle(style);
        s.setLineWidth(1.6f);
        if (dashed) {
            s.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 3f}, 0f));
        }
        return s;
    }

    private static double[] doubles(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** SVG text of a chart, without the XML prolog and doctype, ready to inline in HTML or save as a file. */
    /**
     * SVG text of a chart. XChart draws its text as glyph outlines, so the chart's words are put
     * back as SVG {@code <title>} and {@code <desc>} (what screen readers and searches see):
     * the title, the axis titles, the series and any marks.
     */
    static Svg render(String name, String title, String description, Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        int at = svg.indexOf("<svg");
        if (at < 0) {
            throw new IllegalStateException("the SVG encoder wrote no <svg> element for chart " + name);
        }
        int open = svg.indexOf('>', at) + 1;
        String body = svg.substring(at, open).replaceFirst("<svg ", "<svg role=\"img\" aria-label=\"" + xml(title) + "\" ")
                + "<title>" + xml(title) + "</title><desc>" + xml(description) + "</desc>" + svg.substring(open);
        return new Svg(name, title, compact(body.strip()));
    }

    private static final java.util.regex.Pattern LONG_DECIMAL = java.util.regex.Pattern.compile("(-?\\d+)\\.(\\d{2})\\d+");

    /**
     * Coordinates cut to two decimals: XChart writes text as glyph outlines with six, which makes
     * a chart half a megabyte; at 1/100 px nothing visible changes and the file shrinks by a third.
     */
    static String compact(String svg) {
        return LONG_DECIMAL.matcher(svg).replaceAll("$1.$2");
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
