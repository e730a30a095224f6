package io.llmcp.protocol;

import io.llmcp.engine.EngineLauncher;
import io.llmcp.engine.EnginePaths;
import io.llmcp.engine.TestEngine;
import io.llmcp.proxy.EngineProxy;
import io.llmcp.proxy.ProxySpin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link ProtocolFuzzTest}'s hostile streams through the proxy to a real (in-JVM) engine, as a browser's
 * frames travel: each try is a new browser port (a new proxy, a new engine connection that says hello).
 * The engine does not know the fuzz methods, so requests are answered "method not found" — what is checked
 * is the same: exactly the answers deserved, all under 1 MiB, no hang. Streams here never end in a broken
 * frame (the proxy exits on one, dropping what is in flight by design).
 */
class ProxyFuzzTest {
    static Path dir;
    static EnginePaths paths;
    static TestEngine engine;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("llmcp-proxy-fuzz");
        paths = TestEngine.paths(dir.resolve("home"));
        engine = TestEngine.start(paths, 600);
        ProtocolFuzz.reset();
    }

    @AfterContainer
    static void stop() throws Exception {
        engine.close();
        System.out.println(ProtocolFuzz.report("protocol fuzz through the proxy and engine"));
    }

    @Provide
    Arbitrary<List<ProtocolFuzz.Frame>> streams() {
        return ProtocolFuzz.streams(25, false);
    }

    @Property(tries = 80, shrinking = ShrinkingMode.BOUNDED)
    void everyFrameThroughTheProxyGetsTheAnswersItDeserves(@ForAll("streams") List<ProtocolFuzz.Frame> stream,
                                                           @ForAll boolean spin) throws Exception {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        OutputStream toProxy = Channels.newOutputStream(in.sink());
        InputStream fromProxy = Channels.newInputStream(out.source());
        EngineLauncher launcher = new EngineLauncher(paths, Duration.ofSeconds(20), p -> {
            throw new IOException("the test engine runs already");
        });
        EngineProxy proxy = new EngineProxy(launcher, null,
                new FrameReader(Channels.newInputStream(in.source()), ProtocolFuzz.CAP, ByteOrder.nativeOrder()),
                new FrameWriter(Channels.newOutputStream(out.sink())), spin ? ProxySpin.ofMicros(200, 200) : ProxySpin.OFF);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread t = new Thread(() -> exit.complete(proxy.run()), "fuzz-proxy");
        t.setDaemon(true);
        t.start();
        FrameReader answers = new FrameReader(fromProxy, Integer.MAX_VALUE, ByteOrder.nativeOrder());
        ProtocolFuzz.Target target = new ProtocolFuzz.Target() {
            @Override
            public void writeRaw(byte[] bytes) throws IOException {
                toProxy.write(bytes);
            }

            @Override
            public void closeInput() throws IOException {
                toProxy.close();
            }

            @Override
            public byte[] nextRaw() throws IOException {
                return answers.read();
            }

            @Override
            public void close() throws IOException {
                toProxy.close();
                fromProxy.close();
            }
        };
        try (target) {
            ProtocolFuzz.check(stream, target, true);
            exit.get(30, TimeUnit.SECONDS); // a hang guard
        }
    }
}
