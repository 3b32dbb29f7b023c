package io.grpo.experiment;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Small helpers for the self-contained HTML pages (escaping, tables, embedded PNGs). */
final class Html {
    private Html() {}

    static final String STYLE = "<style>body{font-family:DejaVu Sans,Arial,sans-serif;max-width:1150px;margin:24px auto;"
            + "color:#222;line-height:1.45}table{border-collapse:collapse;margin:10px 0 18px;font-size:13px}"
            + "th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}th{background:#f0f0f0}"
            + "td.l,th.l{text-align:left}.sig{font-weight:bold;color:#064}.bad{color:#a00}"
            + "figure{margin:14px 0}figcaption{font-size:13px;color:#555}img{max-width:100%;border:1px solid #ddd}"
            + ".reading li{margin:4px 0}code{background:#f4f4f4;padding:1px 4px}</style>";

    static String esc(Object o) {
        String s = String.valueOf(o);
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String num(double v, int digits) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String p(double v) {
        if (Double.isNaN(v)) return "–";
        return v < 0.001 ? "<0.001" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String meanCi(SampleSummary s, int digits) {
        if (Double.isNaN(s.mean())) return "–";
        return Double.isNaN(s.halfWidth()) ? num(s.mean(), digits) : num(s.mean(), digits) + " ± " + num(s.halfWidth(), digits);
    }

    static String row(List<String> cells, boolean header) {
        StringBuilder b = new StringBuilder("<tr>");
        for (int i = 0; i < cells.size(); i++) {
            String tag = header ? "th" : "td";
            b.append('<').append(tag).append(i == 0 || cells.get(i).startsWith("<l>") ? " class=\"l\"" : "").append('>')
                    .append(cells.get(i).replace("<l>", "")).append("</").append(tag).append('>');
        }
        return b.append("</tr>\n").toString();
    }

    static String figure(Charts.Png png) {
        return "<figure><img alt=\"" + esc(png.title()) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png.bytes()) + "\"><figcaption>" + esc(png.title()) + ". "
                + esc(png.caption()) + " (" + esc(png.file()) + ")</figcaption></figure>\n";
    }
}
