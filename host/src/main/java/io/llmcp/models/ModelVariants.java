package io.llmcp.models;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.HubApi;
import io.llmcp.protocol.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code models.variants}: the weight variants a repo offers (from the Hub's tree listing), each with its ONNX
 * file, its external data parts and their total size, so a user can pick a {@code dtype} that fits before pulling.
 */
public final class ModelVariants {
    private ModelVariants() {
    }

    public static ObjectNode describe(String repo, String revision, String baseUrl, List<HubApi.RepoFile> files) {
        ObjectNode out = Json.object().put("repo", repo).put("revision", revision).put("url", baseUrl);
        ArrayNode variants = out.putArray("variants");
        List<HubApi.RepoFile> models = new ArrayList<>();
        for (HubApi.RepoFile f : files) if (Dtypes.dtypeOf(f.path()) != null) models.add(f);
        models.sort(Comparator.comparing(HubApi.RepoFile::path));
        long shared = 0;
        ArrayNode sharedFiles = out.putArray("sharedFiles");
        for (HubApi.RepoFile f : files) {
            if (ModelConfig.DEFAULT_CONFIG_FILE.equals(f.path()) || ModelConfig.OPTIONAL_FILES.contains(f.path())) {
                sharedFiles.add(f.path());
                shared += Math.max(0, f.size());
            }
        }
        for (HubApi.RepoFile m : models) {
            ObjectNode v = variants.addObject().put("dtype", Dtypes.dtypeOf(m.path())).put("modelFileName", m.path());
            ArrayNode data = v.putArray("dataFiles");
            long bytes = Math.max(0, m.size());
            for (HubApi.RepoFile f : files) {
                if (f.path().equals(m.path() + "_data") || f.path().startsWith(m.path() + "_data_")) {
                    data.add(f.path());
                    bytes += Math.max(0, f.size());
                }
            }
            v.put("bytes", bytes);
            v.put("totalBytes", bytes + shared);
        }
        return out;
    }
}
