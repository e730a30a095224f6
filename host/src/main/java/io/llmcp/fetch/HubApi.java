package io.llmcp.fetch;

import io.llmcp.failure.Failure;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The Hugging Face Hub's model API, only what pulling and searching need: the files of a repo at a revision with their
 * sizes, {@code GET {endpoint}/api/models/{repo}/tree/{revision}?recursive=true}, and the search over ONNX repos. The endpoint is {@code HF_ENDPOINT} when
 * set (a mirror, or a loopback server in tests), else {@code https://huggingface.co}; requests go through the
 * downloader's client, so the URL policy and the token rules apply.
 */
public final class HubApi {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /** A file of the repo; {@code size} is the real size (for LFS files, the LFS object's). */
    public record RepoFile(String path, long size, String sha256) {
    }

    /**
     * A repo as the Hub's search lists it ({@code GET /api/models} with {@code expand}); {@code gated} is the Hub's
     * {@code false}, {@code "auto"} or {@code "manual"}, so it stays an Object until {@link #gatedMode}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FoundRepo(String id, long downloads, long likes, Object gated, List<String> tags,
                            @JsonProperty("pipeline_tag") String pipelineTag, @JsonProperty("library_name") String libraryName) {
        /** null for an open repo, else how access is granted ({@code auto}, {@code manual}). */
        public String gatedMode() {
            return gated instanceof String mode && !mode.isBlank() ? mode : Boolean.TRUE.equals(gated) ? "manual" : null;
        }

        /** The licence from the {@code license:…} tag, or null. */
        public String license() {
            if (tags == null) return null;
            for (String t : tags) if (t != null && t.startsWith("license:")) return t.substring("license:".length());
            return null;
        }
    }

    /** What search asks the Hub to include: {@code expand} returns only these (and the id). */
    static final List<String> SEARCH_FIELDS = List.of("downloads", "likes", "gated", "tags", "pipeline_tag", "library_name");
    public static final int MAX_SEARCH_LIMIT = 100;

    private final OkHttpClient client;
    private final HttpUrl endpoint;

    public HubApi(OkHttpClient client, String endpoint) {
        this.client = client;
        HttpUrl e = HttpUrl.parse(endpoint);
        if (e == null) throw FetchException.invalidInput("HF_ENDPOINT", "is not an http(s) URL: " + endpoint);
        this.endpoint = e;
    }

    /** The endpoint from {@code HF_ENDPOINT} in {@code env}, else huggingface.co. */
    public static String endpoint(Map<String, String> env) {
        String e = env.get("HF_ENDPOINT");
        return e == null || e.isBlank() ? DEFAULT_ENDPOINT : e.replaceAll("/+$", "");
    }

    /** {@code {endpoint}/{repo}/resolve/{revision}/}: the base URL of the repo's files. */
    public String resolveBase(String repo, String revision) {
        return resolveBase(endpoint.toString(), repo, revision);
    }

    public static String resolveBase(String endpoint, String repo, String revision) {
        HttpUrl e = HttpUrl.parse(endpoint);
        if (e == null) throw FetchException.invalidInput("HF_ENDPOINT", "is not an http(s) URL: " + endpoint);
        return e.newBuilder().addPathSegments(checkRepo(repo)).addPathSegment("resolve")
                .addPathSegment(revision == null ? "main" : revision).addPathSegment("").build().toString();
    }

    public List<RepoFile> tree(String repo, String revision, CancellationToken token) {
        HttpUrl url = endpoint.newBuilder().addPathSegment("api").addPathSegment("models").addPathSegments(checkRepo(repo))
                .addPathSegment("tree").addPathSegment(revision == null ? "main" : revision)
                .addQueryParameter("recursive", "true").build();
        Call call = client.newCall(new Request.Builder().url(url).header("Accept", "application/json").build());
        if (token != null) token.onCancel(call::cancel);
        try (Response r = call.execute()) {
            if (r.code() == 404) throw new FetchException(Failure.REMOTE_NOT_FOUND, "no repo " + repo + " at " + revision + " on " + endpoint);
            if (r.code() == 401 || r.code() == 403) {
                throw new FetchException(Failure.UNAUTHORIZED, repo + " needs a token (HTTP " + r.code() + ")");
            }
            if (!r.isSuccessful()) throw new FetchException(Failure.DOWNLOAD_FAILED, "HTTP " + r.code() + " from " + url);
            JsonNode list = Json.MAPPER.readTree(r.body().byteStream());
            if (!list.isArray()) throw new FetchException(Failure.DOWNLOAD_FAILED, "unexpected answer from " + url);
            List<RepoFile> files = new ArrayList<>();
            for (JsonNode f : list) {
                if (!"file".equals(f.path("type").asText())) continue;
                JsonNode lfs = f.get("lfs");
                long size = lfs != null && lfs.has("size") ? lfs.get("size").asLong() : f.path("size").asLong(-1);
                String sha = lfs != null && lfs.hasNonNull("oid") ? lfs.get("oid").asText() : null;
                files.add(new RepoFile(f.path("path").asText(), size, sha));
            }
            return files;
        } catch (IOException e) {
            if (token != null && token.isCancelled()) throw new FetchException(Failure.CANCELLED, "cancelled");
            throw new FetchException(Failure.DOWNLOAD_FAILED, "cannot list " + repo + ": " + e.getMessage());
        }
    }

    /**
     * Searches ONNX repos the way huggingface_hub's {@code list_models(search=…, filter="onnx", sort="downloads")}
     * does: {@code GET {endpoint}/api/models?search=TEXT&filter=onnx&sort=downloads&direction=-1&limit=N&expand=…},
     * most downloaded first.
     */
    public List<FoundRepo> search(String text, int limit, CancellationToken token) {
        if (text == null || text.isBlank()) throw FetchException.invalidInput("query", "must not be empty");
        if (limit < 1 || limit > MAX_SEARCH_LIMIT) throw FetchException.invalidInput("limit", "must be 1.." + MAX_SEARCH_LIMIT);
        HttpUrl.Builder b = endpoint.newBuilder().addPathSegment("api").addPathSegment("models")
                .addQueryParameter("search", text.strip()).addQueryParameter("filter", "onnx")
                .addQueryParameter("sort", "downloads").addQueryParameter("direction", "-1")
                .addQueryParameter("limit", Integer.toString(limit));
        for (String f : SEARCH_FIELDS) b.addQueryParameter("expand", f);
        HttpUrl url = b.build();
        Call call = client.newCall(new Request.Builder().url(url).header("Accept", "application/json").build());
        if (token != null) token.onCancel(call::cancel);
        try (Response r = call.execute()) {
            if (!r.isSuccessful()) throw new FetchException(Failure.DOWNLOAD_FAILED, "the Hub's search answered HTTP " + r.code() + " (" + url + ")",
                    java.util.Map.of("status", r.code(), "url", url.toString()));
            FoundRepo[] found = Json.MAPPER.readValue(r.body().byteStream(), FoundRepo[].class);
            List<FoundRepo> out = new ArrayList<>();
            for (FoundRepo f : found) if (f != null && f.id() != null && f.id().contains("/")) out.add(f);
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FetchException(Failure.DOWNLOAD_FAILED, "unexpected answer from " + url + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            if (token != null && token.isCancelled()) throw new FetchException(Failure.CANCELLED, "cancelled");
            throw new FetchException(Failure.DOWNLOAD_FAILED, "cannot search the Hub at " + endpoint + ": " + e.getMessage());
        }
    }

    private static String checkRepo(String repo) {
        if (repo == null || !repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw FetchException.invalidInput("repo", "must be ORG/NAME");
        }
        return repo;
    }
}
