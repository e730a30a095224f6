package io.llmcp.testing;

import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A loopback Hugging Face Hub for {@code models.search}: {@code /api/models} lists five ONNX repos (a chat model, a
 * gated one, one without tokenizer, an embedder, one whose tree is gone) and {@code /api/models/{repo}/tree/main}
 * lists the files of the first four. A search for "boom" answers 500.
 */
public final class FakeHub {
    public static final long GB = 1_000_000_000L;

    private FakeHub() {
    }

    public static final String SEARCH = """
            [{"_id":"1","id":"onnx-community/Qwen-Chat","downloads":5000,"likes":40,"gated":false,
              "tags":["transformers.js","onnx","license:apache-2.0"],"pipeline_tag":"text-generation","library_name":"transformers.js"},
             {"_id":"2","id":"meta/Gated-Llama","downloads":3000,"likes":90,"gated":"manual",
              "tags":["onnx","license:llama3.2"],"pipeline_tag":"text-generation"},
             {"_id":"3","id":"someone/No-Tokenizer","downloads":20,"likes":0,"gated":false,"tags":["onnx"],"pipeline_tag":"text-generation"},
             {"_id":"4","id":"Xenova/Embedder","downloads":900,"likes":3,"gated":false,"tags":["onnx","license:mit"],"pipeline_tag":"feature-extraction"},
             {"_id":"5","id":"gone/Vanished","downloads":1,"likes":0,"gated":false,"tags":[]}]
            """;

    static String tree(boolean tokenizer, long q4, long fp32) {
        return "[{\"type\":\"file\",\"path\":\"config.json\",\"size\":700},"
                + (tokenizer ? "{\"type\":\"file\",\"path\":\"tokenizer.json\",\"size\":9000}," : "")
                + "{\"type\":\"file\",\"path\":\"onnx/model_q4.onnx\",\"size\":130,\"lfs\":{\"oid\":\"a\",\"size\":" + q4 + "}},"
                + "{\"type\":\"file\",\"path\":\"onnx/model.onnx\",\"size\":130,\"lfs\":{\"oid\":\"b\",\"size\":1000}},"
                + "{\"type\":\"file\",\"path\":\"onnx/model.onnx_data\",\"size\":130,\"lfs\":{\"oid\":\"c\",\"size\":" + fp32 + "}}]";
    }

    /** A started Hub that knows the repos above. */
    public static MockWebServer start() throws Exception {
        MockWebServer hub = new MockWebServer();
        Map<String, String> trees = Map.of(
                "onnx-community/Qwen-Chat", tree(true, GB / 2, 3 * GB),
                "meta/Gated-Llama", tree(true, GB / 4, 2 * GB),
                "someone/No-Tokenizer", tree(false, 1000, 1000),
                "Xenova/Embedder", tree(true, 1000, 1000));
        hub.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                String path = r.getRequestUrl().encodedPath();
                if (path.equals("/api/models")) {
                    if ("boom".equals(r.getRequestUrl().queryParameter("search"))) return new MockResponse().setResponseCode(500);
                    return json(SEARCH);
                }
                for (var e : trees.entrySet()) {
                    if (path.equals("/api/models/" + e.getKey() + "/tree/main")) return json(e.getValue());
                }
                return new MockResponse().setResponseCode(404);
            }
        });
        hub.start();
        return hub;
    }

    static MockResponse json(String body) {
        return new MockResponse().setBody(body).setHeader("Content-Type", "application/json");
    }

}
