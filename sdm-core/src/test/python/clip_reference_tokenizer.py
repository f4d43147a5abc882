# OpenAI CLIP simple_tokenizer.py, without ftfy (the sdm contract), reading HF vocab.json/merges.txt.
import html, json, sys
import regex as re

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~")+1))+list(range(ord("¡"), ord("¬")+1))+list(range(ord("®"), ord("ÿ")+1))
    cs = bs[:]
    n = 0
    for b in range(2**8):
        if b not in bs:
            bs.append(b); cs.append(2**8+n); n += 1
    return dict(zip(bs, [chr(c) for c in cs]))

def get_pairs(word):
    pairs = set(); prev = word[0]
    for ch in word[1:]:
        pairs.add((prev, ch)); prev = ch
    return pairs

def basic_clean(text):
    text = html.unescape(html.unescape(text))
    return text.strip()

def whitespace_clean(text):
    text = re.sub(r'\s+', ' ', text)
    return text.strip()

class SimpleTokenizer:
    def __init__(self, folder):
        self.byte_encoder = bytes_to_unicode()
        self.encoder = json.load(open(folder + '/vocab.json', encoding='utf-8'))
        merges = open(folder + '/merges.txt', encoding='utf-8').read().strip().split('\n')[1:49152-256-2+1]
        merges = [tuple(m.split()) for m in merges]
        self.bpe_ranks = dict(zip(merges, range(len(merges))))
        self.cache = {'<|startoftext|>': '<|startoftext|>', '<|endoftext|>': '<|endoftext|>'}
        self.pat = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", re.IGNORECASE)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + '</w>',)
        pairs = get_pairs(word)
        if not pairs:
            return token + '</w>'
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float('inf')))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []; i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j]); i = j
                except ValueError:
                    new_word.extend(word[i:]); break
                if word[i] == first and i < len(word)-1 and word[i+1] == second:
                    new_word.append(first+second); i += 2
                else:
                    new_word.append(word[i]); i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        word = ' '.join(word)
        self.cache[token] = word
        return word

    def encode(self, text):
        bpe_tokens = []
        text = whitespace_clean(basic_clean(text)).lower()
        for token in re.findall(self.pat, text):
            token = ''.join(self.byte_encoder[b] for b in token.encode('utf-8'))
            bpe_tokens.extend(self.encoder[t] for t in self.bpe(token).split(' '))
        return bpe_tokens

def input_ids(ids, max_len=77, bos=49406, eos=49407, pad=49407):
    out = [bos] + ids[:max_len-2] + [eos]
    return out + [pad] * (max_len - len(out))

def check(folder, cases_file):
    tok = SimpleTokenizer(folder)
    cases = json.load(open(cases_file, encoding='utf-8'))
    bad = 0
    for c in cases:
        ids = tok.encode(c['prompt'])
        if ids != c['bpe_ids'] or input_ids(ids) != c['input_ids']:
            bad += 1; print('MISMATCH', repr(c['prompt']))
    print(len(cases), 'cases,', bad, 'mismatches')
