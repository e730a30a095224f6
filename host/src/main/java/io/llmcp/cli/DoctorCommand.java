package io.llmcp.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.RuntimeProbe;
import io.llmcp.install.Doctor;
import io.llmcp.install.DoctorCheck;
import io.llmcp.install.InstallEnvironment;
import io.llmcp.install.LauncherProbe;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llmcp doctor}: explains what stands between the extension and a running model, with fixes. */
@Command(name = "doctor", description = {
        "Check the installation and say how to fix what is broken.",
        "Checks Java, the launcher (and that it starts), config.json, each browser's host manifest (and registry key on "
                + "Windows), the model store's lock and ONNX Runtime. Exits 1 when something is broken."})
public final class DoctorCommand implements Callable<Integer> {
    static final int EXIT_BROKEN = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print {healthy, checks:[{name, status, detail, fix}]} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        InstallEnvironment env = InstallEnvironment.current();
        List<DoctorCheck> checks = new Doctor(env, InstallCommand.registry(env), RuntimeProbe::describe,
                Runtime.version().feature(), LauncherProbe.real(env.os())).run();
        boolean healthy = Doctor.healthy(checks);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, toJson(checks, healthy));
        } else {
            for (DoctorCheck c : checks) {
                out.printf("%-5s %-18s %s%n", c.status().toUpperCase(java.util.Locale.ROOT), c.name(), c.detail());
                if (!c.fix().isEmpty()) out.printf("      %-18s fix: %s%n", "", c.fix());
            }
            out.println(healthy ? "All good." : "Something is broken: see the 'fix:' lines above.");
            out.flush();
        }
        return healthy ? 0 : EXIT_BROKEN;
    }

    static ObjectNode toJson(List<DoctorCheck> checks, boolean healthy) {
        ObjectNode out = Json.object();
        out.put("healthy", healthy);
        ArrayNode arr = out.putArray("checks");
        for (DoctorCheck c : checks) {
            arr.addObject().put("name", c.name()).put("status", c.status()).put("detail", c.detail()).put("fix", c.fix());
        }
        return out;
    }
}
