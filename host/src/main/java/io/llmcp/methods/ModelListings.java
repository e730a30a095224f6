package io.llmcp.methods;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.HubApi;
import io.llmcp.models.ModelSearch;
import io.llmcp.models.ModelVariants;
import io.llmcp.protocol.Json;
import java.util.List;

/** The wire form of what the Hub says about repos: {@code models.variants} and {@code models.search} (docs/PROTOCOL.md). */
public final class ModelListings {
    private ModelListings() {
    }

    /** {@code {repo, revision, url, sharedFiles, variants:[{dtype, modelFileName, dataFiles, bytes, totalBytes}]}}. */
    public static ObjectNode variants(String repo, String revision, String url, ModelVariants.Listing listing) {
        ObjectNode out = Json.object().put("repo", repo).put("revision", revision).put("url", url);
        ArrayNode shared = out.putArray("sharedFiles");
        listing.sharedFiles().forEach(shared::add);
        ArrayNode variants = out.putArray("variants");
        for (ModelVariants.Variant v : listing.variants()) variants.add(variant(v));
        return out;
    }

    /**
     * {@code {query, availableBytes, results:[…]}}: each variant says whether it {@code fits}, i.e. whether its weights
     * (what loading reads into memory) are at most the memory this machine has available now.
     */
    public static ObjectNode search(String query, long availableBytes, List<ModelSearch.Found> found) {
        ObjectNode out = Json.object().put("query", query).put("availableBytes", availableBytes);
        ArrayNode results = out.putArray("results");
        for (ModelSearch.Found f : found) {
            HubApi.FoundRepo r = f.repo();
            ObjectNode o = results.addObject().put("repo", r.id()).put("url", f.url())
                    .put("downloads", r.downloads()).put("likes", r.likes());
            o.put("gated", r.gatedMode() != null);
            if (r.gatedMode() != null) o.put("gatedMode", r.gatedMode());
            if (r.license() != null) o.put("license", r.license());
            if (r.pipelineTag() != null) o.put("pipeline", r.pipelineTag());
            if (f.error() != null) {
                o.put("error", f.error());
                continue;
            }
            ObjectNode chat = o.putObject("chat").put("usable", f.chatProblem() == null);
            if (f.chatProblem() != null) chat.put("reason", f.chatProblem());
            ArrayNode variants = o.putArray("variants");
            for (ModelVariants.Variant v : f.listing().variants()) {
                variants.add(variant(v).put("fits", v.bytes() <= availableBytes));
            }
        }
        return out;
    }

    private static ObjectNode variant(ModelVariants.Variant v) {
        ObjectNode o = Json.object().put("dtype", v.dtype()).put("modelFileName", v.modelFileName());
        ArrayNode data = o.putArray("dataFiles");
        v.dataFiles().forEach(data::add);
        return o.put("bytes", v.bytes()).put("totalBytes", v.totalBytes());
    }
}
