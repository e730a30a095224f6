package io.llmcp.models;

import io.llmcp.fetch.HubApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code models.variants}: the weight variants a repo offers (from the Hub's tree listing), each with its ONNX
 * file, its external data parts and their total size, so a user can pick a {@code dtype} that fits before pulling.
 */
public final class ModelVariants {
    /** One dtype: {@code bytes} = the ONNX file and its data parts; {@code totalBytes} adds the shared files. */
    public record Variant(String dtype, String modelFileName, List<String> dataFiles, long bytes, long totalBytes) {
    }

    /** A repo's variants and the files every variant uses (config, tokenizer, templates). */
    public record Listing(List<String> sharedFiles, List<Variant> variants, boolean hasTokenizer) {
    }

    private ModelVariants() {
    }

    public static Listing of(List<HubApi.RepoFile> files) {
        List<HubApi.RepoFile> models = new ArrayList<>();
        for (HubApi.RepoFile f : files) if (Dtypes.dtypeOf(f.path()) != null) models.add(f);
        models.sort(Comparator.comparing(HubApi.RepoFile::path));
        long shared = 0;
        List<String> sharedFiles = new ArrayList<>();
        boolean tokenizer = false;
        for (HubApi.RepoFile f : files) {
            if (ModelConfig.DEFAULT_CONFIG_FILE.equals(f.path()) || ModelConfig.OPTIONAL_FILES.contains(f.path())) {
                sharedFiles.add(f.path());
                shared += Math.max(0, f.size());
            }
            tokenizer |= ChatReadiness.TOKENIZER.equals(f.path());
        }
        List<Variant> variants = new ArrayList<>();
        for (HubApi.RepoFile m : models) {
            List<String> data = new ArrayList<>();
            long bytes = Math.max(0, m.size());
            for (HubApi.RepoFile f : files) {
                if (f.path().equals(m.path() + "_data") || f.path().startsWith(m.path() + "_data_")) {
                    data.add(f.path());
                    bytes += Math.max(0, f.size());
                }
            }
            variants.add(new Variant(Dtypes.dtypeOf(m.path()), m.path(), List.copyOf(data), bytes, bytes + shared));
        }
        return new Listing(List.copyOf(sharedFiles), List.copyOf(variants), tokenizer);
    }
}
