package io.llmcp.sites;

/**
 * One site's consent to use local models through the page API. {@code model} is the model it was allowed (null:
 * whatever {@code pageApi.defaultModel} names when it asks); {@code always} false is an "allow once" grant that
 * lasts only as long as the engine; {@code grantedAt} is epoch milliseconds.
 */
public record SiteGrant(String origin, String model, boolean always, long grantedAt) {
}
