"""The demo's annotation plan: users, terms, definitions, claims, links, readings and votes."""

from collections.abc import Mapping
from dataclasses import dataclass, field

PASSWORD = "sensemap-demo"

# Thread keys are the stems of the thread files in this directory.
AF = "alignment_forum_outer_inner_split"
LW = "lesswrong_robustness_three_senses"
RG = "discourse_reading_group_week6"


@dataclass(frozen=True)
class UserSpec:
    username: str
    reviewer: bool = False
    superuser: bool = False


@dataclass(frozen=True)
class TermSpec:
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class ClaimSpec:
    thread: str
    # Must occur exactly once in exactly one comment of the thread: it locates the claim.
    quote: str
    by: str


@dataclass(frozen=True)
class DefinitionSpec:
    term: str
    label: str
    text: str
    proposed_by: str = ""
    stated_in: str | None = None  # the key of the claim that states it explicitly
    by: str = "demo"


@dataclass(frozen=True)
class EquivalenceSpec:
    definition: str
    other: str
    by: str
    note: str = ""


@dataclass(frozen=True)
class DecompositionSpec:
    name: str
    definitions: tuple[str, ...]
    description: str = ""
    by: str = "demo"


@dataclass(frozen=True)
class LinkSpec:
    source: str
    kind: str
    target: str
    by: str


@dataclass(frozen=True)
class ReadingSpec:
    """A sense reading (definition) or a decomposition reading; `by` casts the first +1."""

    claim: str
    by: str
    definition: str | None = None
    decomposition: str | None = None
    votes: Mapping[str, int] = field(default_factory=dict)


USERS = [
    UserSpec("demo", reviewer=True),
    UserSpec("alice"),
    UserSpec("bob"),
    UserSpec("rita", reviewer=True),
    UserSpec("admin", superuser=True),
]

TERMS = [
    TermSpec(
        "outer alignment",
        aliases=("outer aligned",),
        description="Whether the training signal points at what we want; where it is judged "
        "(training inputs, unlimited data, deployment) is what the threads dispute.",
    ),
    TermSpec(
        "inner alignment",
        aliases=("inner aligned",),
        description="Whether the trained system ends up doing or wanting what the training "
        "signal asked for.",
    ),
    TermSpec(
        "robustness",
        description="What keeps holding after a distribution shift: the capabilities, the "
        "pursued goal, or the training reward.",
    ),
    # Kept apart from "inner alignment" on purpose: whether they are one concept is the question.
    TermSpec("objective robustness"),
    TermSpec("mesa-optimizer", aliases=("learned optimizer", "inner optimizer")),
    TermSpec("goal misgeneralisation"),
]

CLAIMS = {
    # Which outer/inner split are we each using? (Alignment Forum)
    "tobias-outer-def": ClaimSpec(
        AF,
        "outer alignment = the rewards we compute on the training inputs rank good behaviour "
        "above bad behaviour",
        by="alice",
    ),
    "tobias-inner-def": ClaimSpec(
        AF,
        "inner alignment = the learned policy keeps behaving well once it is deployed on inputs "
        "unlike the training data",
        by="alice",
    ),
    "tobias-outer-settled": ClaimSpec(
        AF,
        "Outer alignment is settled once the reward ranks behaviour correctly on the inputs we "
        "actually train on.",
        by="alice",
    ),
    "nadia-outer-def": ClaimSpec(
        AF,
        "outer alignment = the reward would favour good behaviour given unlimited, fully diverse "
        "training data",
        by="bob",
    ),
    "nadia-inner-def": ClaimSpec(
        AF,
        "inner alignment = the objective the trained model actually pursues is the reward's "
        "objective, not a proxy that only fit the data it saw",
        by="bob",
    ),
    "nadia-not-outer-aligned": ClaimSpec(
        AF,
        "a reward that only looks right on the inputs we happened to train on is not outer "
        "aligned at all",
        by="bob",
    ),
    "tobias-uncheckable": ClaimSpec(
        AF,
        "Then outer alignment is a property no reward we can actually write down could ever be "
        "shown to have.",
        by="alice",
    ),
    "tobias-robustness-def": ClaimSpec(
        AF,
        "By robustness I mean that a policy's capabilities keep working after a distribution "
        "shift, whatever goal it ends up pursuing.",
        by="demo",
    ),
    "leon-clumsy": ClaimSpec(
        AF,
        "a policy which just becomes clumsy off-distribution has an inner alignment problem as "
        "well, even if it never pursues anything",
        by="alice",
    ),
    "nadia-file-under-robustness": ClaimSpec(AF, "I'd file it under robustness", by="bob"),
    "nadia-gmg-def": ClaimSpec(
        AF,
        "goal misgeneralisation is the case I care about: the policy stays capable after the "
        "shift and competently pursues a goal nobody intended.",
        by="demo",
    ),
    "ferdinand-outer-def": ClaimSpec(
        AF,
        "outer alignment = the reward would rank policies correctly if we scored them on the "
        "deployment distribution instead of the training one",
        by="demo",
    ),
    "ferdinand-robustness-def": ClaimSpec(
        AF,
        "robustness = policies that earn high reward in training also earn high reward in "
        "deployment",
        by="demo",
    ),
    "ferdinand-split": ClaimSpec(
        AF,
        "That way outer alignment never mentions the training data at all, and robustness "
        "carries everything about the shift.",
        by="bob",
    ),
    "imogen-check-on-training": ClaimSpec(
        AF,
        "in practice I still check outer alignment on the training inputs and treat everything "
        "after deployment as inner.",
        by="alice",
    ),
    "ferdinand-measure": ClaimSpec(
        AF,
        "That is a statement about what we can measure, not about what the term means.",
        by="bob",
    ),
    "saoirse-or-def": ClaimSpec(
        AF,
        "objective robustness holds when the objective the trained model actually pursues "
        "matches the base objective it was trained on, even off the training distribution.",
        by="rita",
    ),
    "tobias-mesa-strict": ClaimSpec(
        AF,
        "a mesa-optimizer in the strict sense needs an objective represented inside the model",
        by="bob",
    ),
    "saoirse-mesa-loose": ClaimSpec(
        AF,
        "hardly anyone uses mesa-optimiser in the strict sense any more. In most threads it just "
        "means a trained system that acts as if it has a goal",
        by="alice",
    ),
    # Robustness is three words wearing one coat (LessWrong, pasted text)
    "post-robustness-def": ClaimSpec(
        LW,
        "By robustness I mean, in my own writing, that a policy's goal keeps matching the "
        "intended one when its inputs drift away from training.",
        by="demo",
    ),
    "third-group-def": ClaimSpec(
        LW, "Robustness = high reward in training implies high reward in deployment.", by="bob"
    ),
    "second-group-gmg": ClaimSpec(
        LW,
        "a policy can keep all its skills and still chase the wrong goal, which is goal "
        "misgeneralization in the usual sense",
        by="alice",
    ),
    "changed-subject": ClaimSpec(
        LW, "Your first sense is what I would call inner alignment, not robustness.", by="rita"
    ),
    # Week 6: objective robustness vs inner alignment (Discourse)
    "hana-inner-problem": ClaimSpec(
        RG,
        "Inner alignment is the problem of making a mesa-optimiser's internal objective match "
        "the base objective.",
        by="rita",
    ),
    "joaquin-gmg": ClaimSpec(
        RG,
        "goal misgeneralisation is the observable failure, and both terms name its absence",
        by="demo",
    ),
}

DEFINITIONS = {
    "outer:training": DefinitionSpec(
        "outer alignment",
        label="reward right on the training inputs",
        text="The rewards computed on the training inputs rank good behaviour above bad behaviour.",
        proposed_by="Tobias Wren",
        stated_in="tobias-outer-def",
        by="alice",
    ),
    "outer:infinite-data": DefinitionSpec(
        "outer alignment",
        label="reward right given unlimited data",
        text="The reward would favour good behaviour if training could see unlimited, fully "
        "diverse data from every situation the system might meet.",
        proposed_by="Nadia Okafor",
        stated_in="nadia-outer-def",
        by="bob",
    ),
    "outer:deployment": DefinitionSpec(
        "outer alignment",
        label="reward right on the deployment distribution",
        text="The reward would rank policies correctly if they were scored on the deployment "
        "distribution instead of the training one.",
        proposed_by="Ferdinand Osei",
        stated_in="ferdinand-outer-def",
    ),
    "inner:deployment": DefinitionSpec(
        "inner alignment",
        label="good behaviour after deployment",
        text="The learned policy keeps behaving well once it is deployed on inputs unlike the "
        "training data.",
        proposed_by="Tobias Wren",
        stated_in="tobias-inner-def",
        by="alice",
    ),
    "inner:true-objective": DefinitionSpec(
        "inner alignment",
        label="pursues the base objective, not a proxy",
        text="The objective the trained model actually pursues matches the base objective it "
        "was trained on, not merely on the training distribution.",
        proposed_by="Nadia Okafor",
        stated_in="nadia-inner-def",
        by="bob",
    ),
    # Worded almost like "inner:true-objective" on purpose: a synonym candidate by text.
    "objective-robustness": DefinitionSpec(
        "objective robustness",
        label="pursued objective holds off-distribution",
        text="The objective the trained model actually pursues matches the base objective it "
        "was trained on, even off the training distribution.",
        proposed_by="Saoirse Lindqvist",
        stated_in="saoirse-or-def",
        by="rita",
    ),
    "robustness:capabilities": DefinitionSpec(
        "robustness",
        label="capabilities survive the shift",
        text="A policy's capabilities keep working after a distribution shift, whatever goal it "
        "ends up pursuing.",
        proposed_by="Tobias Wren",
        stated_in="tobias-robustness-def",
    ),
    "robustness:goal": DefinitionSpec(
        "robustness",
        label="goal survives the shift",
        text="A policy's goal keeps matching the intended one when its inputs drift away from "
        "training.",
        proposed_by="Marguerite Ashdown",
        stated_in="post-robustness-def",
    ),
    "robustness:transfer": DefinitionSpec(
        "robustness",
        label="training reward carries over to deployment",
        text="Policies that earn high reward in training also earn high reward in deployment.",
        proposed_by="Ferdinand Osei",
        stated_in="ferdinand-robustness-def",
        by="bob",
    ),
    "mesa:search": DefinitionSpec(
        "mesa-optimizer",
        label="runs an internal search",
        text="A learned model that itself searches toward an objective represented inside it.",
        proposed_by="Tobias Wren",
        stated_in="tobias-mesa-strict",
        by="bob",
    ),
    "mesa:goal-directed": DefinitionSpec(
        "mesa-optimizer",
        label="acts as if it has a goal",
        text="Any trained system that acts as if it has a goal, whether or not it searches "
        "internally.",
        proposed_by="Saoirse Lindqvist",
        stated_in="saoirse-mesa-loose",
        by="alice",
    ),
    "goal-misgeneralisation": DefinitionSpec(
        "goal misgeneralisation",
        label="capable, but aimed at the wrong goal",
        text="A policy stays capable after a distribution shift but competently pursues a goal "
        "nobody intended.",
        proposed_by="Nadia Okafor",
        stated_in="nadia-gmg-def",
    ),
}

EQUIVALENCES = [
    EquivalenceSpec(
        "robustness:goal",
        "objective-robustness",
        by="rita",
        note="The post's robustness is objective robustness under another name.",
    ),
]

DECOMPOSITIONS = [
    DecompositionSpec(
        "Training-distribution split",
        ("outer:training", "inner:deployment"),
        description="Outer alignment is judged on the training inputs; inner alignment is good "
        "behaviour after deployment.",
        by="alice",
    ),
    DecompositionSpec(
        "Infinite-data split",
        ("outer:infinite-data", "inner:true-objective"),
        description="Outer alignment is judged in the limit of unlimited data; inner alignment "
        "is the trained model pursuing that reward's objective.",
        by="bob",
    ),
    DecompositionSpec(
        "Deployment-reward split",
        ("outer:deployment", "robustness:transfer"),
        description="Outer alignment is judged on the deployment distribution; robustness "
        "carries everything about the shift.",
    ),
]

LINKS = [
    LinkSpec("tobias-outer-settled", "restates", "tobias-outer-def", by="alice"),
    LinkSpec("nadia-not-outer-aligned", "attacks", "tobias-outer-settled", by="bob"),
    LinkSpec("tobias-uncheckable", "attacks", "nadia-outer-def", by="alice"),
    LinkSpec("nadia-file-under-robustness", "attacks", "leon-clumsy", by="bob"),
    LinkSpec("ferdinand-split", "clarifies", "ferdinand-outer-def", by="demo"),
    LinkSpec("ferdinand-robustness-def", "supports", "ferdinand-split", by="demo"),
    LinkSpec("imogen-check-on-training", "attacks", "ferdinand-split", by="alice"),
    LinkSpec("ferdinand-measure", "attacks", "imogen-check-on-training", by="bob"),
    LinkSpec("saoirse-or-def", "restates", "nadia-inner-def", by="demo"),
    LinkSpec("saoirse-mesa-loose", "attacks", "tobias-mesa-strict", by="alice"),
    LinkSpec("third-group-def", "attacks", "post-robustness-def", by="bob"),
    LinkSpec("changed-subject", "attacks", "post-robustness-def", by="rita"),
    LinkSpec("joaquin-gmg", "clarifies", "hana-inner-problem", by="demo"),
]

READINGS = [
    ReadingSpec(
        "tobias-outer-settled", by="alice", definition="outer:training", votes={"bob": 1, "rita": 1}
    ),
    ReadingSpec(
        "nadia-not-outer-aligned",
        by="bob",
        definition="outer:infinite-data",
        votes={"alice": 1, "rita": 1},
    ),
    # Split down the middle: does clumsiness off-distribution count as inner misalignment?
    ReadingSpec(
        "leon-clumsy",
        by="alice",
        definition="inner:deployment",
        votes={"demo": 1, "bob": -1, "rita": -1},
    ),
    ReadingSpec(
        "nadia-file-under-robustness",
        by="bob",
        definition="robustness:capabilities",
        votes={"demo": 1},
    ),
    ReadingSpec(
        "nadia-gmg-def", by="demo", definition="goal-misgeneralisation", votes={"alice": 1}
    ),
    ReadingSpec(
        "nadia-outer-def", by="bob", decomposition="Infinite-data split", votes={"demo": 1}
    ),
    ReadingSpec(
        "ferdinand-split",
        by="bob",
        decomposition="Deployment-reward split",
        votes={"alice": 1, "demo": 1},
    ),
    ReadingSpec(
        "imogen-check-on-training",
        by="alice",
        decomposition="Training-distribution split",
        votes={"bob": 1, "rita": 1},
    ),
    ReadingSpec("saoirse-or-def", by="rita", definition="objective-robustness", votes={"alice": 1}),
    ReadingSpec(
        "tobias-mesa-strict", by="bob", definition="mesa:search", votes={"alice": 1, "demo": 1}
    ),
    ReadingSpec(
        "saoirse-mesa-loose",
        by="alice",
        definition="mesa:goal-directed",
        votes={"bob": 1, "rita": 1},
    ),
    ReadingSpec(
        "post-robustness-def", by="demo", definition="robustness:goal", votes={"alice": 1, "bob": 1}
    ),
    ReadingSpec(
        "third-group-def", by="bob", definition="robustness:transfer", votes={"rita": 1, "demo": 1}
    ),
    ReadingSpec(
        "second-group-gmg", by="alice", definition="goal-misgeneralisation", votes={"bob": 1}
    ),
    ReadingSpec("changed-subject", by="rita", definition="inner:true-objective", votes={"demo": 1}),
    ReadingSpec(
        "hana-inner-problem", by="rita", definition="inner:true-objective", votes={"demo": 1}
    ),
    ReadingSpec("joaquin-gmg", by="demo", definition="goal-misgeneralisation", votes={"bob": 1}),
]

# What the conflict engine should find, by plan key; tests/imports/test_load_demo.py holds the
# loader to it, so the demo keeps showing every kind of conflict.
EQUIVOCATION = ("tobias-outer-settled", "nadia-not-outer-aligned")  # claims, the 2nd replies
DECOMPOSITION_MISMATCH = ("ferdinand-split", "imogen-check-on-training")  # claims, likewise
CONTESTED_READING = "leon-clumsy"  # claim whose only reading is voted 2 to 2
AMBIGUOUS_USAGE = "tobias-uncheckable"  # claim using "outer alignment" with no reading
SYNONYM_CANDIDATE = ("inner:true-objective", "objective-robustness")  # near-identical text
MARKED_SYNONYM = ("robustness:goal", "objective-robustness")  # marked equivalent by rita
