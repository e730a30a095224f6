package io.llmcp.models;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weight variants an ONNX repo ships side by side, named as transformers.js's {@code dtype} option names them:
 * {@code onnx/model.onnx} (fp32), {@code model_fp16}, {@code model_q4}, {@code model_q4f16}, {@code model_int8},
 * {@code model_uint8}, {@code model_quantized} (q8), {@code model_bnb4}; each may keep its weights in external
 * data files {@code <file>_data}, {@code <file>_data_1}, ...
 */
public final class Dtypes {
    /** dtype → file-name suffix, in the order the variants are listed. */
    public static final Map<String, String> SUFFIX;
    private static final Pattern FILE = Pattern.compile("(.*/)?(model|decoder_model_merged)(_[a-z0-9]+)?\\.onnx");

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fp32", "");
        m.put("fp16", "_fp16");
        m.put("q8", "_quantized");
        m.put("int8", "_int8");
        m.put("uint8", "_uint8");
        m.put("q4", "_q4");
        m.put("q4f16", "_q4f16");
        m.put("bnb4", "_bnb4");
        SUFFIX = java.util.Collections.unmodifiableMap(m);
    }

    private Dtypes() {
    }

    /** {@code onnx/model_q4.onnx} for {@code q4}; {@code field} names the parameter in the error for an unknown dtype. */
    public static String modelFile(String dtype, String field) {
        String d = dtype.toLowerCase(Locale.ROOT);
        if (d.equals("quantized")) d = "q8";
        String suffix = SUFFIX.get(d);
        if (suffix == null) {
            throw ModelException.invalidInput(field, "must be one of " + String.join(", ", SUFFIX.keySet()));
        }
        return "onnx/model" + suffix + ".onnx";
    }

    /** The dtype of a repo file such as {@code onnx/model_q4f16.onnx}, or null when it is not a model variant. */
    public static String dtypeOf(String path) {
        Matcher m = FILE.matcher(path);
        if (!m.matches()) return null;
        String suffix = m.group(3) == null ? "" : m.group(3);
        for (Map.Entry<String, String> e : SUFFIX.entrySet()) if (e.getValue().equals(suffix)) return e.getKey();
        return null;
    }
}
