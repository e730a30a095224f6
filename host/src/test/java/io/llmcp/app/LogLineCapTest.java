package io.llmcp.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** The product's logback.xml cuts every message, so an error that quotes a hostile input cannot flood the log. */
class LogLineCapTest {
    @TempDir
    Path dir;

    @Test
    void aMessageQuotingAMegabyteInputIsCutInTheLogFile() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("llmcp.logDir", dir.toString());
        context.putProperty("llmcp.consoleLevel", "OFF");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogLineCapTest.class.getResource("/logback.xml"));
        Logger log = context.getLogger("test");
        String hostile = "x".repeat(1_500_000);
        log.warn("model '{}' is not in the store", hostile);
        log.info("a short line stays whole");
        context.stop();

        List<String> lines;
        try (Stream<Path> files = Files.list(dir)) {
            Path file = files.filter(f -> f.getFileName().toString().startsWith("llmcp-")).findFirst().orElseThrow();
            lines = Files.readAllLines(file);
        }
        assertThat(lines).as(context.getStatusManager().getCopyOfStatusList().toString()).hasSize(2);
        assertThat(lines.get(0)).contains("model 'xxx").hasSizeLessThan(4_200);
        assertThat(lines.get(1)).endsWith("a short line stays whole");
    }
}
