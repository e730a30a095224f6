package io.llmcp.install;

import io.llmcp.app.HostConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Extension ids and the origins the host sees for them. Chrome passes {@code chrome-extension://ID/} where ID is
 * 32 letters a–p; Firefox passes the add-on id ({@code name@domain} or a {@code {GUID}}).
 */
public final class ExtensionIds {
    private static final Pattern CHROME_ID = Pattern.compile("[a-p]{32}");
    private static final Pattern CHROME_ORIGIN = Pattern.compile("chrome-extension://([a-p]{32})/?");
    private static final Pattern GECKO_ID = Pattern.compile("[A-Za-z0-9._+-]+@[A-Za-z0-9._-]+|\\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\}");
    private static final String CHROME_PREFIX = "chrome-extension://";

    private ExtensionIds() {
    }

    /**
     * The origin the host will be called with for a user-given id: a Chrome id (bare or as an origin) becomes
     * {@code chrome-extension://ID/}, a Firefox add-on id stays as is.
     *
     * @throws IllegalArgumentException naming the id and the accepted forms
     */
    public static String toOrigin(String id) {
        String s = id.trim();
        if (CHROME_ID.matcher(s).matches()) return CHROME_PREFIX + s + "/";
        var m = CHROME_ORIGIN.matcher(s);
        if (m.matches()) return CHROME_PREFIX + m.group(1) + "/";
        if (GECKO_ID.matcher(s).matches()) return s;
        throw new IllegalArgumentException("'" + id + "' is not an extension id: expected a Chrome id (32 letters a-p, "
                + "shown in chrome://extensions), chrome-extension://ID/, or a Firefox add-on id (name@domain or {GUID})");
    }

    public static boolean isChromeOrigin(String origin) {
        return CHROME_ORIGIN.matcher(origin).matches();
    }

    /** The bare Chrome ids among {@code origins}, pinned id first. */
    public static List<String> chromeIds(Collection<String> origins) {
        Set<String> out = new LinkedHashSet<>();
        out.add(HostConfig.CHROME_EXTENSION_ID);
        for (String o : origins) {
            var m = CHROME_ORIGIN.matcher(o);
            if (m.matches()) out.add(m.group(1));
        }
        return new ArrayList<>(out);
    }

    /** The Firefox add-on ids among {@code origins}, pinned id first. */
    public static List<String> firefoxIds(Collection<String> origins) {
        Set<String> out = new LinkedHashSet<>();
        out.add(HostConfig.FIREFOX_EXTENSION_ID);
        for (String o : origins) {
            if (!o.startsWith(CHROME_PREFIX) && GECKO_ID.matcher(o).matches()) out.add(o);
        }
        return new ArrayList<>(out);
    }

    /** The ids a browser family's manifest must allow. */
    public static List<String> forFamily(Browser.Family family, Collection<String> origins) {
        return family == Browser.Family.FIREFOX ? firefoxIds(origins) : chromeIds(origins);
    }
}
