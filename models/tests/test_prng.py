from restora_models.prng import Mulberry32, gaussian_block, uniform_block


def test_matches_reference_js_values():
    g = Mulberry32(42)  # values printed by the JS one-liner in models/degradations.md
    assert [g.next() for _ in range(3)] == [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]


def test_block_equals_sequential_and_is_deterministic():
    for seed in (0, 7, 2 ** 32 - 1):
        g = Mulberry32(seed)
        seq = [g.next() for _ in range(1000)]
        assert uniform_block(seed, 1000).tolist() == seq
    assert (gaussian_block(5, 100) == gaussian_block(5, 100)).all()
    assert abs(gaussian_block(5, 20000).std() - 1.0) < 0.03
