package io.llmcp.sites;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmcp.store.DataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Per-site consent for the page API, kept by the host so every browser and the CLI see the same answer. Lasting
 * grants are small JSON records in the store's data space under {@code llmcp.sites/<origin>}; "allow once" grants
 * live in this object only, so they end with the engine. Origins are normalised on the way in ({@link Origins}).
 */
public final class SiteGrants {
    static final String PREFIX = "llmcp.sites/";
    /** A record written by a later version (with more fields) still reads. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Supplier<DataStore> data;
    private final Map<String, SiteGrant> once = new ConcurrentHashMap<>();

    /** {@code data} is asked for only when a lasting grant is read or written (it opens the store). */
    public SiteGrants(Supplier<DataStore> data) {
        this.data = data;
    }

    /** Every grant, lasting and once, ordered by origin. */
    public List<SiteGrant> list() {
        Map<String, SiteGrant> all = new TreeMap<>();
        DataStore d = data.get();
        for (String key : d.keys()) {
            if (key.startsWith(PREFIX)) read(d, key).ifPresent(g -> all.put(g.origin(), g));
        }
        all.putAll(once);
        return new ArrayList<>(all.values());
    }

    /** The grant of {@code origin} (any URL of the site), if it has one; an "allow once" grant wins. */
    public Optional<SiteGrant> get(String origin) {
        String o = Origins.normalize(origin);
        SiteGrant g = once.get(o);
        return g != null ? Optional.of(g) : read(data.get(), PREFIX + o);
    }

    /** Grants {@code origin} the page API with {@code model} (null: the default model), for good or until exit. */
    public SiteGrant allow(String origin, String model, boolean always) {
        String o = Origins.normalize(origin);
        SiteGrant g = new SiteGrant(o, model, always, System.currentTimeMillis());
        if (always) {
            once.remove(o);
            data.get().put(PREFIX + o, write(g));
        } else {
            // A site moved back to "once" must not keep its lasting grant underneath.
            data.get().delete(PREFIX + o);
            once.put(o, g);
        }
        return g;
    }

    /** Takes {@code origin}'s grant away; true when it had one. */
    public boolean revoke(String origin) {
        String o = Origins.normalize(origin);
        boolean wasOnce = once.remove(o) != null;
        boolean wasLasting = data.get().delete(PREFIX + o);
        return wasOnce || wasLasting;
    }

    /** An unreadable record counts as no grant: consent must never be assumed from a damaged entry. */
    private static Optional<SiteGrant> read(DataStore d, String key) {
        return d.get(key).flatMap(json -> {
            try {
                SiteGrant g = JSON.readValue(json, SiteGrant.class);
                return g == null || g.origin() == null ? Optional.empty() : Optional.of(g);
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        });
    }

    private static String write(SiteGrant g) {
        try {
            return JSON.writeValueAsString(g);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
