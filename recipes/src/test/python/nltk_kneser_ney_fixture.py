#!/usr/bin/python3
"""Writes reference Kneser-Ney probabilities computed by nltk (Debian python3-nltk 3.8) for
KneserNeyReferenceTest.

Run from the repository root with Debian's interpreter (apt-get install python3-nltk):

    /usr/bin/python3 recipes/src/test/python/nltk_kneser_ney_fixture.py \
        > recipes/src/test/resources/io/moezoo/recipes/ngram/nltk-kneser-ney.tsv

nltk's KneserNeyInterpolated is the original interpolated Kneser-Ney with one discount D for every
count above the unigrams, and a unigram distribution that is the plain continuation distribution
N1+(. w) / N1+(. .) (no discount, no uniform floor). The Java model reproduces it with
KneserNeyDiscounts.single(0, D, D). Its middle-order gamma counts the distinct raw followers of the
context where Chen & Goodman count the followers with a non-zero continuation count; the two differ
only for an n-gram whose only occurrence starts the training stream. The corpus therefore starts
with token 0, which occurs nowhere else, and no query uses token 0.

The corpus is one stream (no padding, no sentence boundaries) of 400 tokens drawn from a fixed
linear congruential generator with a skewed distribution over tokens 1..8; it is written into the
fixture, so the Java test does not regenerate it.

Output (tab-separated): a line "corpus" followed by the tokens; a line "discount" and D; then one
line per query: "p", the context tokens (0 to 2 of them, space-separated, "-" for none), the word,
and nltk's probability with repr() precision.
"""

from nltk.lm import KneserNeyInterpolated
from nltk.util import everygrams

ORDER = 3
DISCOUNT = 0.75
LENGTH = 400
TOKENS = range(1, 9)


def corpus():
    state = 12345
    out = [0]
    for _ in range(LENGTH - 1):
        state = (state * 1103515245 + 12345) % (1 << 31)
        u = (state >> 8) / float(1 << 23)
        # skewed: token t with probability proportional to 1 / t
        weights = [1.0 / t for t in TOKENS]
        x = u * sum(weights)
        for t, w in zip(TOKENS, weights):
            if x < w:
                out.append(t)
                break
            x -= w
        else:
            out.append(TOKENS[-1])
    return out


def main():
    stream = corpus()
    # nltk's vocabulary looks up strings, not ints
    words = [str(t) for t in stream]
    lm = KneserNeyInterpolated(ORDER, discount=DISCOUNT)
    lm.fit([list(everygrams(words, max_len=ORDER))], vocabulary_text=words)
    print("corpus\t" + " ".join(str(t) for t in stream))
    print("discount\t" + repr(DISCOUNT))
    for w in TOKENS:
        print("p\t-\t%d\t%r" % (w, lm.score(str(w))))
    for v in TOKENS:
        for w in TOKENS:
            print("p\t%d\t%d\t%r" % (v, w, lm.score(str(w), (str(v),))))
    for u in TOKENS:
        for v in TOKENS:
            for w in TOKENS:
                print("p\t%d %d\t%d\t%r" % (u, v, w, lm.score(str(w), (str(u), str(v)))))


if __name__ == "__main__":
    main()
