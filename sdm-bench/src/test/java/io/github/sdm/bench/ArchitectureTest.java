package io.github.sdm.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules of docs/architecture.md, checked on the compiled main code of every module: engine
 * classes only inside engine packages, nothing native in sdm-core and sdm-samplers, and no import circle
 * between packages.
 */
class ArchitectureTest {
    private static JavaClasses sdm;

    @BeforeAll
    static void importMainCode() {
        // the other modules arrive as class folders (mvn test) or jars (mvn verify); test classes and
        // sdm-core's test-jar (the test kit) are not main code
        sdm = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.github.sdm");
        if (sdm.stream().noneMatch(c -> c.getPackageName().startsWith("io.github.sdm.core"))
                || sdm.stream().noneMatch(c -> c.getPackageName().startsWith("io.github.sdm.unet"))) {
            throw new IllegalStateException("the main code of sdm-core and sdm-unet is not on the test class path");
        }
    }

    @Test
    void djlIsUsedOnlyInsideDjlPackages() {
        noClasses().that().resideOutsideOfPackage("..djl..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
                .because("engine code lives in packages named djl, so the engine-free parts can serve other backends")
                .check(sdm);
    }

    @Test
    void onnxRuntimeIsUsedOnlyInsideOnnxPackages() {
        noClasses().that().resideOutsideOfPackage("..onnx..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..")
                .check(sdm);
    }

    @Test
    void coreAndSamplersAreFreeOfNetworksAndEngines() {
        noClasses().that().resideInAnyPackage("io.github.sdm.core..", "io.github.sdm.samplers..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "ai.onnxruntime..",
                        "io.github.sdm.unet..", "io.github.sdm.inheritance..", "io.github.sdm.assembly..",
                        "io.github.sdm.bench..")
                .check(sdm);
    }

    @Test
    void noImportCircleBetweenPackages() {
        slices().matching("io.github.sdm.(**)").should().beFreeOfCycles().check(sdm);
    }
}
