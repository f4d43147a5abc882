package io.github.sdm.core.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.sdm.core.error.ModelFormatException;
import io.github.sdm.core.error.SdmException;
import io.github.sdm.core.files.JsonFiles;
import io.github.sdm.core.files.RegularFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer, as OpenAI's {@code SimpleTokenizer} and Hugging Face's
 * {@code CLIPTokenizer} run it (without ftfy): see {@link ClipTextCleaner} for the text cleanup, then
 * the pre-token regex, byte-level characters, {@code </w>} at the end of each word and merges by rank.
 *
 * <p>Thread-safe. Java 17 implements Unicode 13, Python 3.11 Unicode 14: letters added in Unicode 14
 * are not recognised as letters here (none of them occurs in CLIP's vocabulary as a merge).
 */
public final class ClipTokenizer {
    private static final Pattern PRE_TOKEN = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\p{IsWhite_Space}\\p{L}\\p{N}]+");
    private static final String END_OF_WORD = "</w>";
    /** Beyond this many cached words the cache starts over, so that arbitrary input cannot grow it without bound. */
    private static final int CACHE_LIMIT = 100_000;
    /**
     * How far ids may run past the number of entries. CLIP's vocabularies are dense (ids 0 to size - 1); the
     * margin tolerates a few unused ids, while a stray huge id cannot make the id table huge.
     */
    private static final int SPARE_IDS = 1024;

    private final Map<String, Integer> vocab;
    private final String[] tokensById;
    private final Map<String, Integer> mergeRanks;
    private final TokenizerSettings settings;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final Integer unkId;
    private final Path vocabFile;
    private final Map<String, int[]> cache;
    private final int cacheLimit;

    private ClipTokenizer(Map<String, Integer> vocab, Map<String, Integer> mergeRanks, TokenizerSettings settings,
            Path vocabFile, int cacheLimit) {
        this.cacheLimit = cacheLimit;
        this.cache = new ConcurrentHashMap<>();
        this.vocab = vocab;
        this.mergeRanks = mergeRanks;
        this.settings = settings;
        this.vocabFile = vocabFile;
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.tokensById = new String[maxId + 1];
        vocab.forEach((token, id) -> tokensById[id] = token);
        this.bosId = specialId("bos_token", settings.bosToken());
        this.eosId = specialId("eos_token", settings.eosToken());
        this.padId = specialId("pad_token", settings.padToken());
        this.unkId = vocab.get(settings.unkToken());
    }

    /** Loads {@code vocab.json}, {@code merges.txt} and the optional configs of a {@code tokenizer/} folder. */
    public static ClipTokenizer load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ModelFormatException("Tokenizer folder not found: " + folder);
        }
        return load(folder.resolve("vocab.json"), folder.resolve("merges.txt"), TokenizerSettings.read(folder));
    }

    public static ClipTokenizer load(Path vocabJson, Path mergesTxt, TokenizerSettings settings) {
        return new ClipTokenizer(readVocab(vocabJson), readMerges(mergesTxt), settings, vocabJson, CACHE_LIMIT);
    }

    /**
     * A tokenizer sharing this one's vocabulary and merges that merges every word afresh, for measuring the
     * BPE itself; results are identical.
     */
    public ClipTokenizer withoutWordCache() {
        return new ClipTokenizer(vocab, mergeRanks, settings, vocabFile, 0);
    }

    public TokenizerSettings settings() {
        return settings;
    }

    public int maxLength() {
        return settings.maxLength();
    }

    public int padId() {
        return padId;
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    /** The ids of the prompt alone, without start and end tokens and without truncation. */
    public int[] bpe(String prompt) {
        if (prompt == null) {
            throw new SdmException("The prompt must not be null (use \"\" for an empty prompt)");
        }
        String text = ClipTextCleaner.clean(prompt);
        List<int[]> pieces = new ArrayList<>();
        int count = 0;
        Matcher m = PRE_TOKEN.matcher(text);
        while (m.find()) {
            int[] ids = wordIds(ByteLevelAlphabet.encode(m.group()));
            pieces.add(ids);
            count += ids.length;
        }
        int[] out = new int[count];
        int at = 0;
        for (int[] ids : pieces) {
            System.arraycopy(ids, 0, out, at, ids.length);
            at += ids.length;
        }
        return out;
    }

    /** The text encoder's input: start token, the ids cut to {@code maxLength - 2}, end token, padding. */
    public TokenizedPrompt encode(String prompt) {
        int[] ids = bpe(prompt);
        int maxLength = settings.maxLength();
        int kept = Math.min(ids.length, maxLength - 2);
        long[] input = new long[maxLength];
        input[0] = bosId;
        for (int i = 0; i < kept; i++) {
            input[i + 1] = ids[i];
        }
        input[kept + 1] = eosId;
        for (int i = kept + 2; i < maxLength; i++) {
            input[i] = padId;
        }
        String dropped = kept < ids.length ? decode(Arrays.copyOfRange(ids, kept, ids.length)) : "";
        return new TokenizedPrompt(input, ids, dropped);
    }

    public long[] inputIds(String prompt) {
        return encode(prompt).inputIds();
    }

    /** Text for ids, as CLIP decodes it: {@code </w>} becomes a space; unknown ids are skipped. */
    public String decode(int[] ids) {
        StringBuilder joined = new StringBuilder();
        for (int id : ids) {
            if (id >= 0 && id < tokensById.length && tokensById[id] != null) {
                joined.append(tokensById[id]);
            }
        }
        return ByteLevelAlphabet.decode(joined).replace(END_OF_WORD, " ").strip();
    }

    private int[] wordIds(String token) {
        int[] cached = cache.get(token);
        if (cached != null) {
            return cached;
        }
        List<String> symbols = merge(token);
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocab.get(symbols.get(i));
            if (id == null) {
                if (unkId == null) {
                    throw new ModelFormatException(vocabFile + ": BPE produced '" + symbols.get(i)
                            + "', which the vocabulary lacks, and there is no unk_token to stand for it");
                }
                id = unkId;
            }
            ids[i] = id;
        }
        if (cacheLimit > 0) {
            if (cache.size() >= cacheLimit) {
                cache.clear();
            }
            cache.put(token, ids);
        }
        return ids;
    }

    /** Applies the merges to one pre-token, lowest rank first, as CLIP's {@code bpe()} does. */
    private List<String> merge(String token) {
        if (token.equals(TokenizerSettings.START_OF_TEXT) || token.equals(TokenizerSettings.END_OF_TEXT)) {
            return List.of(token);
        }
        List<String> word = new ArrayList<>(token.length());
        for (int i = 0; i < token.length() - 1; i++) {
            word.add(String.valueOf(token.charAt(i)));
        }
        word.add(token.charAt(token.length() - 1) + END_OF_WORD);
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i < word.size() - 1; i++) {
                Integer rank = mergeRanks.get(word.get(i) + " " + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i < word.size() - 1 && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        return word;
    }

    private int specialId(String key, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new ModelFormatException(vocabFile + ": the " + key + " '" + token + "' is not in the vocabulary");
        }
        return id;
    }

    private static Map<String, Integer> readVocab(Path file) {
        if (!Files.exists(file)) {
            throw new ModelFormatException("Tokenizer vocabulary not found: " + file);
        }
        JsonElement json = JsonFiles.read(file, "tokenizer vocabulary");
        if (!json.isJsonObject() || json.getAsJsonObject().size() == 0) {
            throw new ModelFormatException(file + ": the vocabulary must be a non-empty JSON object (token -> id)");
        }
        JsonObject object = json.getAsJsonObject();
        Map<String, Integer> vocab = new HashMap<>(object.size() * 2);
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || v.getAsDouble() < 0
                    || v.getAsDouble() != v.getAsInt()) {
                throw new ModelFormatException(file + ": token '" + e.getKey() + "' has id " + v
                        + ", expected a non-negative integer");
            }
            vocab.put(e.getKey(), v.getAsInt());
        }
        checkIdsFitTheSize(file, vocab);
        return vocab;
    }

    /** Ids index the table that decodes them, so each must lie below the vocabulary's size plus a small margin. */
    private static void checkIdsFitTheSize(Path file, Map<String, Integer> vocab) {
        long limit = (long) vocab.size() + SPARE_IDS;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getValue() >= limit) {
                throw new ModelFormatException(file + ": token '" + e.getKey() + "' has id " + e.getValue()
                        + ", but the vocabulary has only " + vocab.size() + " entries (ids must lie below "
                        + limit + ")");
            }
        }
    }

    private static Map<String, Integer> readMerges(Path file) {
        RegularFiles.check(file, ModelFormatException::new);
        Map<String, Integer> ranks = new HashMap<>(1 << 17);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            int rank = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank() || (lineNumber == 1 && line.startsWith("#"))) {
                    continue;
                }
                String[] pair = line.strip().split(" ");
                if (pair.length != 2) {
                    throw new ModelFormatException(file + ": line " + lineNumber + " is not a merge of two symbols: '"
                            + line + "'");
                }
                // A repeated merge keeps its last rank, as Python's dict(zip(merges, range(...))) does.
                ranks.put(pair[0] + " " + pair[1], rank++);
            }
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("Tokenizer merges not found: " + file);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read the tokenizer merges: " + e.getMessage(), e);
        }
        if (ranks.isEmpty()) {
            throw new ModelFormatException(file + ": holds no merges");
        }
        return ranks;
    }
}
