package io.llmcp.engine;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Who is on the other end of a Unix socket, from the kernel ({@code SO_PEERCRED} on Linux and macOS).
 * The private 0700 run directory already keeps other users out; this check also refuses a process of
 * another user that got hold of the socket anyway (root can traverse any directory; a misconfigured mode).
 */
final class PeerCredentials {
    private PeerCredentials() {
    }

    /** The peer's user name, or empty where the platform does not say (then file permissions alone guard). */
    static Optional<String> peerUser(SocketChannel ch) {
        try {
            if (!ch.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) return Optional.empty();
            UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return Optional.of(p.user().getName());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    static String ownUser() {
        return System.getProperty("user.name");
    }
}
