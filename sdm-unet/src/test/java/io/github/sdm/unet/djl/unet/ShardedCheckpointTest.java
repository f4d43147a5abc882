package io.github.sdm.unet.djl.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sdm.core.safetensors.DType;
import io.github.sdm.core.safetensors.SafetensorsFile;
import io.github.sdm.core.safetensors.SafetensorsWriter;
import io.github.sdm.core.safetensors.TensorSource;
import io.github.sdm.core.testkit.TestData;
import io.github.sdm.unet.djl.nn.ForwardContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A UNet split into shards with a {@code .safetensors.index.json} loads and computes like the single file. */
class ShardedCheckpointTest {
    static final Path UNET = TestData.tinySd().resolve("unet");

    @Test
    void shardedWeightsGiveTheSameOutput(@TempDir Path dir) throws Exception {
        Files.copy(UNET.resolve("config.json"), dir.resolve("config.json"));
        Map<String, String> weightMap = new LinkedHashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(UNET.resolve("diffusion_pytorch_model.safetensors"))) {
            List<List<TensorSource>> shards = List.of(new ArrayList<>(), new ArrayList<>());
            int i = 0;
            for (String name : file.names()) {
                int shard = i++ % 2;
                shards.get(shard).add(TensorSource.ofFloats(name, DType.F32, file.floats(name), file.info(name).shape()));
                weightMap.put(name, shardName(shard));
            }
            for (int s = 0; s < 2; s++) {
                SafetensorsWriter.write(dir.resolve(shardName(s)), shards.get(s));
            }
        }
        StringJoiner entries = new StringJoiner(",");
        weightMap.forEach((name, shard) -> entries.add("\"" + name + "\":\"" + shard + "\""));
        Files.writeString(dir.resolve("diffusion_pytorch_model.safetensors.index.json"),
                "{\"metadata\":{},\"weight_map\":{" + entries + "}}");

        try (NDManager manager = NDManager.newBaseManager();
                UNet2DConditionModel single = UNet2DConditionModel.load(UNET, manager);
                UNet2DConditionModel sharded = UNet2DConditionModel.load(dir, manager)) {
            single.allParameters().forEach((key, parameter) -> assertArrayEquals(parameter.value().toFloatArray(),
                    sharded.allParameters().get(key).value().toFloatArray(), key));
            NDArray sample = manager.randomNormal(new Shape(1, 4, 8, 8));
            NDArray t = manager.create(500f);
            NDArray context = manager.randomNormal(new Shape(1, 77, 32));
            // equal weights at other memory alignments may take other SIMD paths: equal up to float rounding
            assertArrayEquals(single.forward(sample, t, context, ForwardContext.DEFAULT).toFloatArray(),
                    sharded.forward(sample, t, context, ForwardContext.DEFAULT).toFloatArray(), 1e-5f);
        }
    }

    private static String shardName(int index) {
        return "diffusion_pytorch_model-0000" + (index + 1) + "-of-00002.safetensors";
    }
}
