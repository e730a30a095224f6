package io.llmcp.fetch;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.protocol.ErrorCodes;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class UrlAndPathPolicyTest {
    private static void refused(Runnable r) {
        assertThatThrownBy(r::run).satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.URL_REFUSED)));
    }

    @Test
    void httpsAnywhereHttpOnlyToLoopbackOrAllowedHosts() {
        UrlPolicy p = new UrlPolicy(Set.of("mirror.lan"));
        for (String ok : List.of("https://huggingface.co/x", "http://127.0.0.1:8080/x", "http://127.5.6.7/x", "http://localhost/x",
                "http://[::1]:9/x", "http://mirror.lan/x", "http://MIRROR.lan/x")) {
            assertThat(p.check(ok)).isNotNull();
        }
        for (String bad : List.of("http://huggingface.co/x", "http://128.0.0.1/x", "http://127.0.0.1.evil.com/x",
                "http://localhost.evil.com/x", "http://10.0.0.1/x", "ftp://host/x", "file:///etc/passwd", "", "https://",
                "javascript:alert(1)", "//huggingface.co/x")) {
            refused(() -> p.check(bad));
        }
    }

    @Test
    void repoPathsAcceptNormalNames() {
        for (String ok : List.of("onnx/model.onnx", "config.json", "onnx/model_q4f16.onnx_data_1", "a b/c-d_e.f", "über/modell.onnx")) {
            assertThat(RepoPath.check("f", ok)).isEqualTo(ok);
        }
    }

    @Test
    void repoPathsRefuseEscapes() {
        for (String bad : List.of("../secret", "onnx/../../x", "..", ".", "./x", "/etc/passwd", "C:/x", "c:x", "onnx\\model.onnx",
                "a//b", "a/", "", "a\u0000b", "a\nb", "a\u007fb", "a:b")) {
            refused(() -> RepoPath.check("config.modelFileName", bad));
        }
        assertThatThrownBy(() -> RepoPath.check("config.modelFileName", "../x"))
                .hasMessageContaining("config.modelFileName").hasMessageContaining("relative");
    }

    @Property(tries = 300)
    void anyPathWithADotDotSegmentIsRefused(@ForAll("segments") List<String> before, @ForAll("segments") List<String> after) {
        String path = String.join("/", concat(before, "..", after));
        refused(() -> RepoPath.check("p", path));
    }

    @Property(tries = 300)
    void anyPathWithAControlCharacterIsRefused(@ForAll("segments") List<String> segs, @ForAll("controls") char c,
                                               @ForAll("positions") int pos) {
        String clean = segs.isEmpty() ? "model.onnx" : String.join("/", segs);
        int at = Math.floorMod(pos, clean.length() + 1);
        String path = clean.substring(0, at) + c + clean.substring(at);
        refused(() -> RepoPath.check("p", path));
    }

    @Property(tries = 300)
    void acceptedPathsStayInsideTheRepoUrl(@ForAll("anyText") String path) {
        String base = "https://huggingface.co/org/repo/resolve/main/";
        try {
            RepoPath.check("p", path);
        } catch (FetchException e) {
            return;
        }
        String url = okhttp3.HttpUrl.get(base).newBuilder().addPathSegments(path).build().toString();
        assertThat(url).startsWith(base);
    }

    @Provide
    Arbitrary<List<String>> segments() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_', '-').ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.equals(".") && !s.equals("..")).list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Character> controls() {
        return Arbitraries.oneOf(Arbitraries.chars().range('\u0000', '\u001f'), Arbitraries.of('\u007f'), Arbitraries.chars().range('\u0080', '\u009f'));
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 100);
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<String> pieces = Arbitraries.of("..", ".", "/", "\\", "a", "b.onnx", "%2e%2e", "%2F", "?", "#", ":", "C:", "\u0000", " ");
        return Combinators.combine(pieces.list().ofMinSize(1).ofMaxSize(8), Arbitraries.just(0))
                .as((l, z) -> String.join("", l));
    }

    private static List<String> concat(List<String> a, String mid, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(mid);
        out.addAll(b);
        return out;
    }
}
