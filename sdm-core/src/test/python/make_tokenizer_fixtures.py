"""Regenerates the tokenizer fixtures that go beyond the OpenAI CLIP cases (cases.json):
fixtures/tokenizer/cases-unicode-html.json, fixtures/tokenizer/cases-random.json and
fixtures/html/unescape-cases.json, and the HTML5 entity table src/main/resources/.../html5-entities.txt. Needs Python 3.11 and the `regex` module; run from anywhere:

    python3 sdm-core/src/test/python/make_tokenizer_fixtures.py

The ids come from clip_reference_tokenizer.py, OpenAI CLIP's SimpleTokenizer without ftfy, which
reproduces cases.json exactly (check() verifies that first); Unicode, HTML and whitespace behaviour
is Python's own, which is what the Java port must match.
"""
import html, json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clip_reference_tokenizer import SimpleTokenizer, input_ids, check

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'resources', 'fixtures')
check(os.path.join(FIXTURES, 'clip-tokenizer'), os.path.join(FIXTURES, 'tokenizer', 'cases.json'))
tok = SimpleTokenizer(os.path.join(FIXTURES, 'clip-tokenizer'))

long_prompt = ", ".join(["masterpiece", "best quality", "ultra detailed", "a beautiful landscape painting of a mountain lake at sunrise",
    "volumetric lighting", "highly intricate", "sharp focus", "trending on artstation", "by greg rutkowski and alphonse mucha",
    "8k uhd", "dslr", "soft lighting", "film grain", "fujifilm xt3", "cinematic composition", "golden hour", "reflections in the water", "octane render", "unreal engine 5", "hyperrealistic", "award winning photograph", "national geographic", "depth of field", "bokeh", "wide angle lens", "muted colors", "intricate details"])
prompts = [
    "Tom &amp;amp; Jerry",
    "&lt;lora:style:0.8&gt; a castle",
    "&quot;quoted&quot; &#39;single&#39; &#x27;hex&#x27;",
    "&copy 2024 &notit; &amp &AMP; &Eacute;cole",
    "&#128512; smile &#x1F431; &#0; &#x80; &#1114112; &#xD800; &#99999999999999999999;",
    "&unknownentity; &&& &#; &#x; & amp;",
    "&amp;lt;b&amp;gt;double&amp;lt;/b&amp;gt; &amp;amp;amp;",
    "IT'S A DOG'S LIFE, WE'LL SEE, THEY'VE, I'M, YOU'D, DON'T",
    "rock'n'roll o'clock 'quoted' ''",
    "  \t leading and trailing\n\nwhitespace \u00a0 nbsp \u3000 ideographic \u2003 em  ",
    "\x1cfile separator\x1f and \x1e inside\x1d",
    "ΟΔΟΣ ΣΟΦΙΑΣ Straße İstanbul ǅemal",
    "東京タワー 夜景, 漢字とひらがな",
    "emoji 😀🐱‍👤 👍🏽 flags 🇯🇵!",
    "combining: e\u0301 vs é, zero\u200bwidth",
    "digits 12345 ٣٤٥ ²³ Ⅻ 1.5e-3 10,000",
    "<|endoftext|> in the <|startoftext|>middle<|endoftext|><|ENDOFTEXT|>",
    "masterpiece, best quality, (((ultra detailed))), [lowres:0.5], {blue|red} hair, (cat:1.2)",
    "a" * 300,
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    long_prompt,
    "UPPER lower MiXeD",
    "tab\tseparated\tvalues\r\nwindows line",
    "   ",
    "&nbsp;&nbsp;spaced&nbsp;out&nbsp;",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ　１２３",
    "naïve résumé coöperate façade",
    "𝓯𝓪𝓷𝓬𝔂 math letters",
    "under_score snake_case kebab-case dot.case path/to/file.png",
    "😀",
    "x",
    "!",
]
cases = []
for p in prompts:
    ids = tok.encode(p)
    cases.append({"prompt": p, "bpe_ids": ids, "input_ids": input_ids(ids)})
json.dump(cases, open(os.path.join(FIXTURES, 'tokenizer', 'cases-unicode-html.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=1)

# html.unescape parity cases (the tokenizer applies it twice; these check one application)
un = ["&amp;", "&amp", "&AMP", "&ampx", "&amp;x", "&notit;", "&notin;", "&not", "&noti", "&copy2024", "&Eacute;cole",
      "&#65;", "&#65", "&#x41;", "&#X41", "&#x1F600;", "&#128512;", "&#0;", "&#13;", "&#x80;", "&#x9F;", "&#1;", "&#x7f;",
      "&#xFDD0;", "&#xFFFE;", "&#x10FFFF;", "&#x110000;", "&#xD800;", "&#99999999999999999999;", "&#;", "&#x;", "&#xg;",
      "& amp;", "&&amp;&", "&unknown;", "&abcdefghijklmnopqrstuvwxyzabcdefghijk;", "&NotEqualTilde;", "&nbsp;&nbsp",
      "plain text", "", "&lt;&gt;&quot;&apos;", "&ThickSpace;", "&fjlig;", "a&b", "&\t", "&#x000041;", "&#0000065;",
      "&amp;amp;", "&lt", "&LT;", "&Lt;", "&nbspx", "&ltx", "&zwj;&zwnj;"]
json.dump([[s, html.unescape(s)] for s in un], open(os.path.join(FIXTURES, 'html', 'unescape-cases.json'), 'w', encoding='utf-8'), ensure_ascii=False, indent=0)

rng = random.Random(20240607)
ranges = [(0x20, 0x7e)] * 6 + [(0xa0, 0x24f), (0x370, 0x3ff), (0x400, 0x4ff), (0x600, 0x6ff), (0x900, 0x97f),
          (0x2000, 0x206f), (0x2190, 0x23ff), (0x3040, 0x30ff), (0x4e00, 0x9fff), (0xac00, 0xd7a3),
          (0xff00, 0xffef), (0x1d400, 0x1d7ff), (0x1f300, 0x1f64f), (0x1f900, 0x1f9ff), (0x0300, 0x036f)]
words = "a photo of portrait landscape cat dog astronaut riding horse highly detailed 4k 8k masterpiece best quality " \
        "lighting cinematic trending artstation octane render by greg rutkowski &amp; &lt; &gt; &quot; &#39; it's " \
        "we'll they're don't (((( )))) [ ] { } | : 1.2 , . ! ? - _ / \\ \" ' @ # $ % ^ * + = ~ `".split(' ')
cases = []
for n in range(150):
    parts = []
    for _ in range(rng.randint(1, 25)):
        r = rng.random()
        if r < 0.5:
            parts.append(rng.choice(words))
        else:
            lo, hi = rng.choice(ranges)
            parts.append(''.join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 6))))
        parts.append(rng.choice([' ', ' ', ' ', '', '  ', '\t', '\n', ', ', '\u00a0']))
    p = ''.join(parts)
    p = ''.join(c for c in p if not (0xd800 <= ord(c) <= 0xdfff))
    if rng.random() < 0.3:
        p = p.upper()
    ids = tok.encode(p)
    cases.append({"prompt": p, "bpe_ids": ids, "input_ids": input_ids(ids)})
json.dump(cases, open(os.path.join(FIXTURES, 'tokenizer', 'cases-random.json'), 'w', encoding='utf-8'), ensure_ascii=False, separators=(',', ':'))

# The HTML5 entity table HtmlUnescape loads (a main resource, not a fixture).
import html.entities
entity_lines = ["# HTML5 named character references (WHATWG), as in Python " + sys.version.split()[0] + "'s html.entities.html5,",
                "# which html.unescape uses. One per line: name (with its ';' where the standard has one), then code points in hex."]
for name in sorted(html.entities.html5):
    entity_lines.append(name + " " + " ".join("%x" % ord(c) for c in html.entities.html5[name]))
entities_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'main', 'resources',
                             'io', 'github', 'sdm', 'core', 'tokenizer', 'html5-entities.txt')
open(entities_file, 'w', encoding='ascii').write("\n".join(entity_lines) + "\n")
