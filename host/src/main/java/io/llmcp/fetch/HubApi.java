package io.llmcp.fetch;

import io.llmcp.failure.Failure;
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
 * The Hugging Face Hub's model API, only what pulling needs: the files of a repo at a revision with their sizes,
 * {@code GET {endpoint}/api/models/{repo}/tree/{revision}?recursive=true}. The endpoint is {@code HF_ENDPOINT} when
 * set (a mirror, or a loopback server in tests), else {@code https://huggingface.co}; requests go through the
 * downloader's client, so the URL policy and the token rules apply.
 */
public final class HubApi {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /** A file of the repo; {@code size} is the real size (for LFS files, the LFS object's). */
    public record RepoFile(String path, long size, String sha256) {
    }

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

    private static String checkRepo(String repo) {
        if (repo == null || !repo.matches("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw FetchException.invalidInput("repo", "must be ORG/NAME");
        }
        return repo;
    }
}
