package io.llmcp.models;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import io.llmcp.fetch.HubApi;
import io.llmcp.protocol.CancellationToken;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code models.search}: the Hub's ONNX repos matching a text, most downloaded first, each with what a person needs
 * to pick one before pulling: its dtype variants and their sizes (the tree listing, as {@code models.variants}),
 * whether it is gated, its licence, and whether it can chat here (and if not, why).
 */
public final class ModelSearch {
    /** The pipeline the host chats with. */
    static final String TEXT_GENERATION = "text-generation";

    /**
     * One repo found. {@code listing} is null when its files could not be listed ({@code error} says why);
     * {@code chatProblem} is null when it can chat here.
     */
    public record Found(HubApi.FoundRepo repo, String url, ModelVariants.Listing listing, String chatProblem, String error) {
    }

    private ModelSearch() {
    }

    public static List<Found> search(HubApi hub, String query, int limit, CancellationToken token) {
        List<Found> out = new ArrayList<>();
        for (HubApi.FoundRepo repo : hub.search(query, limit, token)) {
            token.throwIfCancelled();
            String url = hub.resolveBase(repo.id(), "main");
            try {
                ModelVariants.Listing listing = ModelVariants.of(hub.tree(repo.id(), "main", token));
                out.add(new Found(repo, url, listing, chatProblem(repo.pipelineTag(), listing), null));
            } catch (DomainException e) {
                if (e.failure() == Failure.CANCELLED || token.isCancelled()) throw e;
                // one repo the Hub will not list (gone since the search, or private) must not hide the others
                out.add(new Found(repo, url, null, null, e.getMessage()));
            }
        }
        return out;
    }

    /** Why a repo cannot chat here, or null: it needs ONNX weights, to generate text, and a tokenizer. */
    static String chatProblem(String pipelineTag, ModelVariants.Listing listing) {
        if (listing.variants().isEmpty()) return "no ONNX weights (onnx/model*.onnx) in the repository";
        if (pipelineTag != null && !pipelineTag.equals(TEXT_GENERATION)) {
            return "a " + pipelineTag + " model: the host chats with " + TEXT_GENERATION + " models";
        }
        return ChatReadiness.problem(true, listing.hasTokenizer());
    }
}
