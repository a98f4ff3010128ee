package org.licensim.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** What the charts promise a reader: dates on time axes, y ranges where the series meet, honest error bars. */
class ChartsTest {
    @Test
    @DisplayName("a day axis is labelled with dates, the year on its first tick and at a year's start")
    void dateTicks() {
        XYChart c = new XYChartBuilder().build();
        Charts.dateAxis(c, LocalDate.of(2026, 1, 5));
        var f = c.getStyler().getXAxisTickLabelsFormattingFunction();
        assertEquals("5 Jan 2026", f.apply(0.0));
        assertEquals("23 Feb", f.apply(49.0));
        assertEquals("1 Jan 2027", f.apply(361.0));
        assertEquals(90, c.getStyler().getXAxisTickMarkSpacingHint());
        // a second pass over the axis (XChart labels it left to right each time it paints): the year again at its
        // first tick, and two January ticks never both carry the year ("5 Jan 202631 Jan 2026")
        assertEquals("5 Jan 2026", f.apply(0.0));
        assertEquals("31 Jan", f.apply(26.0));
        XYChart d = new XYChartBuilder().build();
        Charts.dateAxis(d, LocalDate.of(2026, 12, 1));
        var g = d.getStyler().getXAxisTickLabelsFormattingFunction();
        assertEquals(List.of("1 Dec 2026", "18 Dec", "4 Jan 2027", "21 Jan", "7 Feb"),
                List.of(g.apply(0.0), g.apply(17.0), g.apply(34.0), g.apply(51.0), g.apply(68.0)));
    }

    @Test
    @DisplayName("a mark's label near an end of the axis (a purchase due on day 0) is moved inward, clear of the y axis's labels")
    void markLabelInsidePlot() {
        String text = "buy 2 by 2026-12-01 (9 in all)";
        double px = Charts.ANNOTATION_FONT.getStringBounds(text, new java.awt.font.FontRenderContext(null, true, true))
                .getWidth();
        double perPx = 180.0 / Charts.PLOT_WIDTH_AT_LEAST;
        double atStart = Charts.labelX(text, 0, 0, 180);
        assertTrue(atStart - px / 2 * perPx >= 0, "the label's left edge is inside the plot: centre " + atStart);
        double atEnd = Charts.labelX(text, 180, 0, 180);
        assertTrue(atEnd + px / 2 * perPx <= 180, "the label's right edge is inside the plot: centre " + atEnd);
        assertEquals(90.0, Charts.labelX(text, 90, 0, 180), "a mark mid-axis keeps its label over it");
    }

    @Test
    @DisplayName("a filled area (users waiting) has headroom below the top of its axis, never past it")
    void areaInsideAxes() {
        assertEquals(83.0, Charts.areaTop(new int[] {0, 3, 71, 2}));
        assertEquals(1.0, Charts.areaTop(new int[] {0, 0}), "an empty series still has an axis");
        assertTrue(Charts.areaTop(new int[] {20}) > 20);
    }

    @Test
    @DisplayName("seats near 80,000 get a y range around them, not one from 0; small counts still start at 0")
    void tightRange() {
        XYChart c = new XYChartBuilder().build();
        Charts.tightY(c, 78_000, 84_000);
        assertEquals(76_500.0, c.getStyler().getYAxisMin());
        assertEquals(84_900.0, c.getStyler().getYAxisMax());
        Charts.tightY(c, 10, 400);
        assertEquals(0.0, c.getStyler().getYAxisMin(), "near zero the axis starts at zero");
    }

    @Test
    @DisplayName("error bars are drawn only for a series with intervals, and never reach below zero")
    void errorBars() {
        Map<String, double[][]> s = new LinkedHashMap<>();
        s.put("engine", new double[][] {{10, 200}, {30, 5}});
        s.put("quantile", new double[][] {{4, 6}, {Double.NaN, Double.NaN}});
        CategoryChart c = Charts.barChart("t", "ms/op", List.of("a", "b"), s, false);
        assertArrayEquals(new double[] {10, 5}, c.getSeries("engine").getExtraValues(),
                "10 +- 30 is drawn as 0..40, not -20..40");
        assertNull(c.getSeries("quantile").getExtraValues(), "no interval, no error bar");
        assertEquals(2, c.getStyler().getXAxisMaxLabelCount(), "every bar labelled");
    }

    @Test
    @DisplayName("a plan's demand chart names its band, median and capacity, and the purchase on its date")
    void demandBand() {
        int[] day = {0, 1, 2, 3};
        Charts.Svg svg = Charts.demandBand("d", "Office 365 E3 (ENTERPRISEPACK)", LocalDate.of(2026, 1, 5), day,
                new int[] {100, 100, 100, 100}, new int[] {90, 95, 99, 104}, new int[] {92, 97, 101, 106},
                new int[] {95, 99, 104, 110}, "p5-p95 of demand over the runs", 2, "buy 10 by 2026-01-07");
        assertTrue(svg.svg().contains("series: p5-p95 of demand over the runs, median demand, capacity"), svg.svg());
        assertTrue(svg.svg().contains("marked: buy 10 by 2026-01-07"));
    }
}
