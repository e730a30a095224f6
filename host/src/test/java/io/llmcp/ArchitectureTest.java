package io.llmcp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/ARCHITECTURE.md, checked on the product's classes (tests excluded: a test may reach
 * anywhere it needs to).
 *
 * <p>Who may speak JSON-RPC: {@code protocol} (the wire) and {@code methods} (the host's method table) are where
 * Jackson trees and error codes belong. The clients of the protocol — {@code cli}, {@code proxy}, {@code tooling} —
 * read and print protocol JSON by nature; {@code api} is an edge like {@code methods} (it translates HTTP requests
 * to protocol calls, and a remote provider's answers to generate's result and codes); and the composition root
 * {@code host} hands config sections (JSON objects) to the services it builds; none of them is checked here.
 * The rules are on the domain: {@code store},
 * {@code fetch}, {@code models}, {@code inference}, {@code template}, {@code engine}.
 */
class ArchitectureTest {
    static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.llmcp");

    static final String[] DOMAIN = {"io.llmcp.store..", "io.llmcp.fetch..", "io.llmcp.models..", "io.llmcp.inference..",
            "io.llmcp.template..", "io.llmcp.engine.."};

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.llmcp.(*)..").should().beFreeOfCycles().check(PRODUCT);
    }

    /** The benchmarks and test-model builders ship in the jar, but only the entry point may add them. */
    @Test
    void productNeverDependsOnTooling() {
        noClasses().that().resideOutsideOfPackage("io.llmcp.tooling..")
                .and().doNotHaveFullyQualifiedName(Main.class.getName())
                .should().dependOnClassesThat().resideInAPackage("io.llmcp.tooling..")
                .check(PRODUCT);
    }

    /**
     * The edges ({@code methods}, {@code api}), the root and the CLI sit above the domain. The HTTP API is named
     * with the method table: the engine serves it only as a listener the root starts, never by importing it.
     */
    @Test
    void domainNeverDependsOnTheMethodTableOrTheRoot() {
        noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage("io.llmcp.methods..", "io.llmcp.api..", "io.llmcp.host..",
                        "io.llmcp.cli..")
                .check(PRODUCT);
    }

    /**
     * The page API's domain packages are held to the domain's rules in full, with no record: they import none of
     * the edges, the root or the CLI, know no wire code (they throw {@code SchemaException} and
     * {@code InvalidOriginException}, which {@code methods/Failures} codes), and site consent keeps records, not
     * JSON trees. The schema compiler still reads the schema as the request's JSON tree: that is its input
     * language, not a protocol answer.
     */
    @Test
    void pageApiDomainLeavesRpcErrorsToTheEdges() {
        noClasses().that().resideInAnyPackage("io.llmcp.sites..", "io.llmcp.constrain..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.llmcp.protocol.RpcException")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.llmcp.protocol.ErrorCodes")
                .orShould().dependOnClassesThat().resideInAnyPackage("io.llmcp.methods..", "io.llmcp.api..", "io.llmcp.host..",
                        "io.llmcp.cli..")
                .check(PRODUCT);
        noClasses().that().resideInAPackage("io.llmcp.sites..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind.node..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("com.fasterxml.jackson.databind.JsonNode")
                .check(PRODUCT);
    }

    /**
     * models builds on inference's {@code ModelSource} (a pulled model is one); inference never reaches back: the
     * root tells it where models come from and what to do when one loads.
     */
    @Test
    void inferenceNeverDependsOnModels() {
        noClasses().that().resideInAPackage("io.llmcp.inference..")
                .should().dependOnClassesThat().resideInAPackage("io.llmcp.models..")
                .check(PRODUCT);
    }

    /**
     * Domain code fails with its own exceptions ({@code StoreException}, {@code FetchException}, ... over
     * {@code io.llmcp.failure}) and leaves the codes to {@code methods/Failures}, the one table from failure to
     * code. {@code engine} is left out on purpose: it is the protocol's server on the engine socket, and its
     * per-connection admission answers with wire errors by design, as {@code protocol} does.
     */
    @Test
    void domainFailsWithItsOwnExceptionsNotWireCodes() {
        noClasses().that().resideInAnyPackage("io.llmcp.store..", "io.llmcp.fetch..", "io.llmcp.models..",
                        "io.llmcp.inference..", "io.llmcp.template..", "io.llmcp.failure..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.llmcp.protocol.RpcException")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.llmcp.protocol.ErrorCodes")
                .because("which code a failure becomes is the edge's decision, made in one table")
                .check(PRODUCT);
    }

    /**
     * JSON trees stay on the protocol side. Not true yet everywhere: the domain still reads config.json and
     * tokenizer_config.json as Jackson trees and keeps a model's config as the JSON it was given, in the places
     * recorded in {@code src/test/resources/archunit-store}. A frozen rule fails on any <em>new</em> use and
     * shrinks the record as old ones go, so the remaining work is listed and cannot grow.
     */
    @Test
    void domainLeavesJsonTreesToTheProtocolSide() {
        ArchRule rule = noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind.node..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("com.fasterxml.jackson.databind.JsonNode")
                .because("the wire's JSON belongs to methods and protocol");
        FreezingArchRule.freeze(rule).check(PRODUCT);
    }
}
