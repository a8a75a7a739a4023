use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::date;

use super::mine::sentence_case;
use super::quality::Quality;
use super::*;
use crate::config::Config;
use crate::enrich::enrich;
use crate::paper::Listing;

fn paper(id: &str, title: &str, body: &str) -> Paper {
    Paper {
        id: id.into(),
        title: title.into(),
        body: body.into(),
        days: vec![Listing::new(date(2025, 8, 6), None)],
        ..Paper::default()
    }
}

fn rule(name: &str, keywords: &[&str]) -> TopicRule {
    TopicRule { name: name.into(), keywords: keywords.iter().map(|k| k.to_string()).collect(), ..TopicRule::default() }
}

fn child(name: &str, parent: &str, keywords: &[&str]) -> TopicRule {
    TopicRule { parent: parent.into(), ..rule(name, keywords) }
}

fn config(rules: Vec<TopicRule>) -> Config {
    Config { topics: rules, ..Config::default() }
}

fn without_auto(rules: Vec<TopicRule>) -> Config {
    Config { taxonomy: TaxonomyConfig { auto: false, ..Default::default() }, ..config(rules) }
}

fn names(topics: &Topics, paper: usize) -> Vec<&str> {
    topics.of_paper[paper].iter().map(|&t| topics.topics[t].name.as_str()).collect()
}

fn topic<'a>(topics: &'a Topics, name: &str) -> &'a Topic {
    topics.topics.iter().find(|t| t.name == name).unwrap_or_else(|| {
        panic!("no topic `{name}` among {:?}", topics.topics.iter().map(|t| &t.name).collect::<Vec<_>>())
    })
}

#[test]
fn title_match_tags_but_a_passing_mention_does_not() {
    let papers = [
        paper("a", "Machine Unlearning at Scale", "We study forgetting."),
        paper("b", "Graph networks", "We do other things. Unlike machine unlearning, we do other things."),
        paper("c", "Deletion", "Machine unlearning removes data. Our machine unlearning method is fast."),
        paper("d", "Deletion", "We remove data. Our machine unlearning method is fast."),
    ];
    let config = without_auto(vec![rule("Machine unlearning", &["machine unlearning"])]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(names(&topics, 0), ["Machine unlearning"]);
    assert!(names(&topics, 1).is_empty(), "a negated mention counts nothing");
    assert_eq!(names(&topics, 2), ["Machine unlearning"], "the first sentence and one more mention are enough");
    assert!(names(&topics, 3).is_empty(), "one passing mention is not");
}

#[test]
fn ai_keywords_are_evidence() {
    let mut with_keywords = paper("a", "A new method", "We propose it. It helps. It is good.");
    with_keywords.ai_keywords = vec!["Gaussian Splatting".into(), "novel view synthesis".into()];
    let papers = [with_keywords];
    let config = without_auto(vec![rule("3D", &["gaussian splatting", "view synthesis"])]);
    assert_eq!(names(&enrich(&papers, &config).topics, 0), ["3D"], "two AI keywords score four");
}

#[test]
fn ai_keywords_do_not_say_what_a_paper_is_about() {
    // A driving paper whose abstract trains with reinforcement learning in
    // passing: the AI keywords repeat the passing mention, and score it, but
    // only the title and the first sentence say what the paper is about.
    let mut driving = paper(
        "a",
        "Autonomous Driving with Lane Graphs",
        "We plan trajectories for autonomous driving. A policy is trained with reinforcement learning. It drives.",
    );
    driving.ai_keywords = vec!["reinforcement learning".into(), "RL fine-tuning with reinforcement learning".into()];
    let mut rl = driving.clone();
    rl.id = "b".into();
    rl.title = "Planning".into();
    rl.body = "We train policies with reinforcement learning. They drive.".into();
    let config = without_auto(vec![
        rule("Autonomous driving", &["autonomous driving"]),
        rule("Reinforcement learning", &["reinforcement learning"]),
    ]);
    let topics = enrich(&[driving, rl], &config).topics;
    assert_eq!(
        names(&topics, 0),
        ["Autonomous driving"],
        "two AI keywords and a mention score 5 against 5, but the title names driving"
    );
    assert_eq!(names(&topics, 1), ["Reinforcement learning"], "its first sentence names it");
}

#[test]
fn negated_and_covered_mentions_do_not_tag() {
    let papers = [
        paper("a", "Editing without Fine-Tuning", "A training-free editor. It needs no fine-tuning at all."),
        paper("b", "Robots", "A vision-language-action model for robots. The vision-language-action policy acts."),
    ];
    let config = without_auto(vec![
        rule("Fine-tuning", &["fine-tuning"]),
        rule("Multimodal", &["vision-language"]),
        rule("Robotics", &["vision-language-action", "robot"]),
    ]);
    let topics = enrich(&papers, &config).topics;
    assert!(names(&topics, 0).is_empty(), "{:?}", names(&topics, 0));
    assert_eq!(names(&topics, 1), ["Robotics"], "the longer keyword takes the words");
}

#[test]
fn title_keywords_count_only_in_titles() {
    let mut rule = rule("Benchmarks", &["leaderboard"]);
    rule.title_keywords = vec!["benchmark".into()];
    let papers = [
        paper("a", "A Benchmark for Agents", "We test agents."),
        paper("b", "Agents", "On a benchmark, a benchmark, and another benchmark, agents do well."),
    ];
    let topics = enrich(&papers, &without_auto(vec![rule])).topics;
    assert_eq!(names(&topics, 0), ["Benchmarks"]);
    assert!(names(&topics, 1).is_empty());
}

#[test]
fn a_benchmarks_name_in_the_title_says_benchmark() {
    let mut benchmarks = rule("Benchmarks", &["new benchmark"]);
    benchmarks.title_keywords = vec!["bench".into(), "arena".into()];
    benchmarks.facet = true;
    let mut agents = rule("Agents", &["web agents"]);
    agents.title_keywords = vec!["agent".into()];
    let papers = [
        paper("a", "VideoReasonBench: Can MLLMs Reason over Videos?", "Models watch videos."),
        paper("b", "MMBench and LongBench v2", "Models answer."),
        paper("c", "PointArena: Probing Grounding", "Models point."),
        paper("d", "SketchAgent: Sequential Sketch Generation", "Models draw."),
        paper("e", "Workbench notes for Benchmarking", "Models draw."),
        paper("f", "Benchmarks of Web Agents", "Models browse."),
    ];
    let topics = enrich(&papers, &without_auto(vec![benchmarks, agents])).topics;
    assert_eq!(names(&topics, 0), ["Benchmarks"], "the name's last part, by its capitals");
    assert_eq!(names(&topics, 1), ["Benchmarks"], "after a run of capitals");
    assert_eq!(names(&topics, 2), ["Benchmarks"]);
    assert!(names(&topics, 3).is_empty(), "a subject's word at the end of a name is not the subject");
    assert!(names(&topics, 4).is_empty(), "`Workbench` is one word, and `Benchmarking` no keyword");
    assert!(!names(&topics, 5).contains(&"Benchmarks"), "a plural in its own word is no name's part");
}

#[test]
fn a_facet_the_abstract_alone_names_goes_beside_a_subject() {
    let mut datasets = rule("Datasets", &["new dataset", "a dataset"]);
    datasets.facet = true;
    let video = rule("Video generation", &["video generation"]);
    let papers = [
        paper(
            "a",
            "Longer Video Generation",
            "We extend video generation to minutes. We also train on a dataset of films, a dataset of clips and a new dataset.",
        ),
        paper("b", "A Dataset for Video Generation", "We collect clips."),
        paper("c", "Films", "We release a new dataset of films. It holds a dataset of clips and a dataset of scenes."),
    ];
    let topics = enrich(&papers, &without_auto(vec![datasets, video])).topics;
    assert_eq!(names(&topics, 0), ["Video generation"], "a dataset the method trains on is no dataset paper");
    assert_eq!(names(&topics, 1), ["Video generation", "Datasets"], "the title names it");
    assert_eq!(names(&topics, 2), ["Datasets"], "a facet alone stays");
}

#[test]
fn without_a_subject_up_front_only_the_one_said_most_stays() {
    let papers = [
        paper(
            "a",
            "Making Models Faster",
            "Models are slow. We prune weights. We prune heads. We prune layers. We quantize weights. We quantize heads. We quantize the cache.",
        ),
        paper(
            "b",
            "Making Models Faster",
            "Models are slow. We prune weights. We prune heads. We prune layers. We quantize weights. We quantize the cache.",
        ),
        paper(
            "c",
            "Pruning and Quantization",
            "Models are slow. We prune weights. We prune heads. We prune layers. We quantize weights. We quantize the cache.",
        ),
    ];
    let config =
        without_auto(vec![rule("Pruning", &["prune", "pruning"]), rule("Quantization", &["quantize", "quantization"])]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(names(&topics, 0), ["Pruning", "Quantization"], "a tie keeps both");
    assert_eq!(
        names(&topics, 1),
        ["Pruning"],
        "two mentions of three are a passing subject when none is named up front"
    );
    assert_eq!(names(&topics, 2), ["Pruning", "Quantization"], "named up front, both are subjects");
}

#[test]
fn requirements_and_exclusions_narrow_a_rule() {
    let mut rl_for_llms = rule("RL for LLMs", &["reinforcement learning"]);
    rl_for_llms.requires = vec!["language model".into()];
    let mut robotics = rule("Robotics", &["manipulation"]);
    robotics.exclude = vec!["image manipulation".into()];
    let papers = [
        paper("a", "Reinforcement Learning for Language Models", ""),
        paper("b", "Reinforcement Learning for Atari", ""),
        paper("c", "Image Manipulation Detection", ""),
        paper("d", "Dexterous Manipulation", ""),
    ];
    let topics = enrich(&papers, &without_auto(vec![rl_for_llms, robotics])).topics;
    assert_eq!(names(&topics, 0), ["RL for LLMs"]);
    assert!(names(&topics, 1).is_empty(), "no language model: the requirement is not met");
    assert!(names(&topics, 2).is_empty(), "`image manipulation` is excluded");
    assert_eq!(names(&topics, 3), ["Robotics"]);
}

#[test]
fn matching_is_whole_word_case_insensitive_and_ignores_hyphens_and_plurals() {
    let papers = [
        paper("a", "A Survey of Mixture-of-Experts", ""),
        paper("b", "MoE layers", ""),
        paper("c", "Moet and champagne", ""),
        paper("d", "Relearning is not unlearning", ""),
        paper("e", "Large Language Models for code", ""),
    ];
    let config = without_auto(vec![
        rule("Mixture of experts", &["mixture of experts", "moe"]),
        rule("Unlearning", &["unlearn"]),
        rule("Language models", &["language model"]),
    ]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(names(&topics, 0), ["Mixture of experts"]);
    assert_eq!(names(&topics, 1), ["Mixture of experts"]);
    assert!(names(&topics, 2).is_empty(), "`moe` does not match `Moet`");
    assert!(names(&topics, 3).is_empty(), "`unlearn` does not match `unlearning` or `relearning`");
    assert_eq!(names(&topics, 4), ["Language models"], "plural folds to the keyword");
}

#[test]
fn a_paper_lands_in_the_most_specific_topic_and_counts_in_its_parents() {
    let papers = [
        paper("a", "Video Generation with Diffusion", ""),
        paper("b", "Image Classification", ""),
        paper("c", "Video Generation for Robots", ""),
    ];
    let config = without_auto(vec![
        rule("Vision", &["image", "video"]),
        child("Video generation", "Vision", &["video generation"]),
        rule("Robotics", &["robot"]),
    ]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(names(&topics, 0), ["Video generation"], "not its parent too");
    assert_eq!(names(&topics, 1), ["Vision"]);
    assert_eq!(names(&topics, 2), ["Video generation", "Robotics"], "topics of other branches stay");
    let vision = topic(&topics, "Vision");
    assert_eq!(vision.papers.len(), 3, "the parent counts its children's papers");
    assert_eq!(vision.listed.len(), 1);
    let video = topics.topics.iter().position(|t| t.name == "Video generation").unwrap();
    assert_eq!(vision.children, [video]);
    assert_eq!(topics.topics[video].parent, topics.topics.iter().position(|t| t.name == "Vision"));
    let quality = Quality::of(&topics, papers.len());
    assert_eq!(quality.with_topic, 3);
    assert_eq!(
        quality.largest_leaf.map(|(t, size)| (topics.topics[t].name.as_str(), size)),
        Some(("Video generation", 2))
    );
}

#[test]
fn the_tree_is_ordered_by_size_each_parent_before_its_children() {
    let papers = [
        paper("a", "Audio", ""),
        paper("b", "Video generation", ""),
        paper("c", "Video understanding", ""),
        paper("d", "Video understanding", ""),
        paper("e", "Image", ""),
    ];
    let config = without_auto(vec![
        rule("Audio", &["audio"]),
        rule("Vision", &["image"]),
        child("Video generation", "Vision", &["video generation"]),
        child("Video understanding", "Vision", &["video understanding"]),
    ]);
    let topics = enrich(&papers, &config).topics;
    let order: Vec<&str> = topics.topics.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(order, ["Vision", "Video understanding", "Video generation", "Audio"]);
}

#[test]
fn no_fixed_cap_pushes_out_a_specific_topic() {
    let papers = [paper("a", "Alpha Beta Gamma Delta", "")];
    let rules =
        vec![rule("Alpha", &["alpha"]), rule("Beta", &["beta"]), rule("Gamma", &["gamma"]), rule("Delta", &["delta"])];
    assert_eq!(names(&enrich(&papers, &without_auto(rules.clone())).topics, 0), ["Alpha", "Beta", "Gamma", "Delta"]);
    let capped =
        Config { taxonomy: TaxonomyConfig { max_per_paper: 2, auto: false, ..Default::default() }, ..config(rules) };
    assert_eq!(names(&enrich(&papers, &capped).topics, 0), ["Alpha", "Beta"], "an owner may still set a cap");
}

#[test]
fn a_weak_topic_beside_a_strong_one_does_not_tag() {
    let papers = [paper(
        "a",
        "Video Generation at Scale",
        "Video generation is hard. Our video generation model is fast. We test video generation on robots, \
         robots and robots.",
    )];
    let config = without_auto(vec![rule("Video generation", &["video generation"]), rule("Robotics", &["robot"])]);
    assert_eq!(names(&enrich(&papers, &config).topics, 0), ["Video generation"]);
}

#[test]
fn a_method_beside_a_subject_needs_more_evidence_than_it() {
    let driving = paper("a", "DPO for Autonomous Driving", "We train a driving policy with preference data.");
    let dpo = paper("b", "Stable DPO", "We make direct preference optimization stable.");
    let strong = paper("c", "DPO and DPO for Driving", "We study DPO for driving. DPO helps driving.");
    let used = paper("d", "Autonomous Driving", "We use DPO. DPO and preference data help.");
    let papers = [driving, dpo, strong, used];
    let method = TopicRule { method: true, ..rule("Preference optimization", &["dpo", "preference"]) };
    let rules = vec![rule("Autonomous driving", &["driving"]), method];
    let topics = enrich(&papers, &without_auto(rules.clone())).topics;
    assert_eq!(names(&topics, 3), ["Autonomous driving"], "a method the paper uses is not its subject");
    assert_eq!(names(&topics, 1), ["Preference optimization"], "a paper about the method gets it");
    assert_eq!(names(&topics, 2), ["Preference optimization", "Autonomous driving"], "half as much again keeps it");
    assert_eq!(
        names(&topics, 0),
        ["Autonomous driving", "Preference optimization"],
        "a method the title names stays beside a subject it scores as much as"
    );
    let even = Config {
        taxonomy: TaxonomyConfig { method_share: 100, auto: false, ..Default::default() },
        ..config(rules.clone())
    };
    assert_eq!(names(&enrich(&papers, &even).topics, 3), ["Preference optimization", "Autonomous driving"]);
    let plain = vec![rule("Autonomous driving", &["driving"]), rule("Preference optimization", &["dpo", "preference"])];
    assert_eq!(
        names(&enrich(&papers, &without_auto(plain)).topics, 0),
        ["Autonomous driving", "Preference optimization"],
        "a topic that is no method competes as an equal"
    );
}

#[test]
fn a_top_topic_beside_a_narrow_subject_needs_twice_its_evidence() {
    let papers = [
        paper("a", "Image Captioning", "We describe pictures in words."),
        paper("b", "Image Image Captioning", "We caption an image."),
    ];
    let rules = vec![
        rule("Computer vision", &["image"]),
        child("Video", "Computer vision", &["video"]),
        rule("Multimodal", &[]),
        child("Captioning", "Multimodal", &["captioning"]),
    ];
    let topics = enrich(&papers, &without_auto(rules.clone())).topics;
    assert_eq!(names(&topics, 0), ["Captioning"], "the field goes when it says less than twice the subject");
    assert_eq!(names(&topics, 1), ["Computer vision", "Captioning"], "and stays when it says more");
    let even =
        Config { taxonomy: TaxonomyConfig { broad_share: 100, auto: false, ..Default::default() }, ..config(rules) };
    assert_eq!(names(&enrich(&papers, &even).topics, 0), ["Computer vision", "Captioning"]);
}

#[test]
fn empty_topics_get_no_page() {
    let papers = [paper("a", "Machine unlearning", "")];
    let config = config(vec![rule("Machine unlearning", &["machine unlearning"]), rule("Robotics", &["robot"])]);
    let topics = enrich(&papers, &config).topics;
    assert_eq!(topics.topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Machine unlearning"]);
}

#[test]
fn front_matter_beats_rules_and_rules_beat_automatic_topics() {
    let mut explicit = paper("a", "Machine unlearning survey", "machine unlearning");
    explicit.topics = vec!["Surveys".into(), "machine-unlearning".into()];
    let papers = [explicit, paper("b", "Machine unlearning for diffusion", "")];
    let topics = enrich(&papers, &config(vec![rule("Machine unlearning", &["machine unlearning"])])).topics;
    assert_eq!(names(&topics, 0), ["Surveys", "Machine unlearning"], "front matter wins and names a new topic");
    assert_eq!(names(&topics, 1), ["Machine unlearning"]);
    assert_eq!(topic(&topics, "Surveys").kind, TopicKind::Explicit);
}

/// Papers about Gaussian splatting, most of them caught by a broad 3D rule,
/// and other papers around them.
fn splatting_site() -> Vec<Paper> {
    let mut papers = Vec::new();
    for i in 0..8 {
        // Most titles say `3D`, so the 3D rule catches most of these papers.
        let three_d = if i < 6 { "3D " } else { "" };
        papers.push(paper(
            &format!("gs{i}"),
            &format!("{three_d}Gaussian Splatting for Scene {i}"),
            "3D Gaussian Splatting (3DGS) represents scenes. We speed up Gaussian Splatting, and Gaussian \
             Splatting then renders in real time.",
        ));
    }
    for i in 0..8 {
        papers.push(paper(&format!("3d{i}"), &format!("3D Meshes from Images {i}"), "We reconstruct 3D meshes."));
    }
    for i in 0..70 {
        papers.push(paper(&format!("x{i}"), &format!("Topic number {i}"), "Something else entirely."));
    }
    papers
}

#[test]
fn automatic_topics_are_mined_from_all_papers_and_placed_under_a_rule() {
    let papers = splatting_site();
    let mut config = config(vec![rule("3D vision", &["3d"])]);
    // The two papers whose titles do not say 3D would get it from their
    // neighbours, the six that do.
    let near = enrich(&papers, &config).topics;
    assert_eq!(topic(&near, "Gaussian splatting").papers.len(), 8, "with neighbour evidence, all eight");
    config.taxonomy.neighbours = false;
    let topics = enrich(&papers, &config).topics;
    let splatting = topic(&topics, "Gaussian splatting");
    assert_eq!(splatting.kind, TopicKind::Auto);
    assert_eq!(splatting.slug, "gaussian-splatting");
    assert_eq!(splatting.papers.len(), 6, "mined from papers a rule caught, and only those of its parent");
    let parent = splatting.parent.map(|p| topics.topics[p].name.as_str());
    assert_eq!(parent, Some("3D vision"), "offered under the rule most of its papers share");
    assert_eq!(names(&topics, 0), ["Gaussian splatting"], "the most specific topic, counted in 3D vision");
    assert_eq!(topic(&topics, "3D vision").papers.len(), 14, "a child adds no paper to its parent");
}

#[test]
fn automatic_topics_are_names_not_words() {
    let mut papers = Vec::new();
    for i in 0..6 {
        papers.push(paper(
            &format!("d{i}"),
            &format!("Dynamic Real-World Generation of Latent {i}"),
            "A dynamic method for real-world data. Dynamic latent generation of real-world scenes helps.",
        ));
    }
    papers.extend(splatting_site());
    let topics = enrich(&papers, &Config::default()).topics;
    let automatic: Vec<&str> = topics.topics.iter().map(|t| t.name.as_str()).collect();
    assert!(automatic.contains(&"Gaussian splatting"), "{automatic:?}");
    for word in ["Dynamic", "Real-world", "Latent", "Generation", "Gaussian", "3D", "Splatting"] {
        assert!(!automatic.contains(&word), "`{word}` is a word, not a topic: {automatic:?}");
    }
}

#[test]
fn automatic_slugs_come_from_the_phrase_and_stay_as_papers_are_added() {
    let papers = splatting_site();
    let before = enrich(&papers, &Config::default()).topics;
    let mut more = papers.clone();
    for i in 0..10 {
        more.push(paper(
            &format!("m{i}"),
            &format!("Mamba Layers for Sequences {i}"),
            "Mamba is a state space model. We study Mamba. Mamba layers replace attention.",
        ));
    }
    let after = enrich(&more, &Config::default()).topics;
    for old in &before.topics {
        assert!(after.topics.iter().any(|t| t.slug == old.slug), "`{}` lost its page", old.slug);
    }
}

#[test]
fn topic_slugs_avoid_the_listing_names() {
    let mut explicit = paper("a", "Some paper", "");
    explicit.topics = vec!["Index".into(), "2024".into()];
    let mut papers = vec![explicit];
    for i in 0..6 {
        papers.push(paper(
            &format!("i{i}"),
            &format!("Index for Search {i}"),
            "An Index lets search skip documents. We build an Index of the web.",
        ));
    }
    let topics = enrich(&papers, &Config::default()).topics;
    let slugs: Vec<&str> = topics.topics.iter().map(|t| t.slug.as_str()).collect();
    assert!(slugs.contains(&"index-topic") && slugs.contains(&"2024-topic"), "{slugs:?}");
    assert!(!slugs.iter().any(|s| crate::config::is_reserved_topic_slug(s)), "{slugs:?}");
}

fn canonical_papers() -> Vec<Paper> {
    let text = include_str!("../../../content/digests/2025-08-06.txt");
    crate::source::parse_text(text, Path::new("2025-08-06.txt"), None, None).unwrap().papers
}

/// The papers of the canonical day whose title holds any of `words`
/// (lowercase).
fn titled(papers: &[Paper], words: &[&str]) -> Vec<usize> {
    (0..papers.len()).filter(|&i| words.iter().any(|w| papers[i].title.to_lowercase().contains(w))).collect()
}

#[test]
fn without_a_taxonomy_the_canonical_clusters_end_up_together() {
    let papers = canonical_papers();
    let topics = enrich(&papers, &Config::default()).topics;
    for (slug, words, least) in [
        ("machine-unlearning", &["unlearning"][..], 6),
        ("mixture-of-expert", &["mixture of experts", "mixture-of-experts"][..], 3),
        ("context-learning", &["in-context learning"][..], 3),
    ] {
        let members = titled(&papers, words);
        assert!(members.len() >= least, "the canonical day has several `{slug}` papers");
        let cluster = topics.topics.iter().find(|t| t.slug == slug).unwrap_or_else(|| {
            panic!("no `{slug}` among {:?}", topics.topics.iter().map(|t| &t.slug).collect::<Vec<_>>())
        });
        assert_eq!(cluster.kind, TopicKind::Auto);
        for i in &members {
            assert!(cluster.papers.contains(i), "`{}` is missing from `{}`", papers[*i].title, cluster.name);
        }
    }
}

#[test]
fn automatic_topics_are_deterministic() {
    let papers = canonical_papers();
    let a = enrich(&papers, &Config::default());
    let b = enrich(&papers, &Config::default());
    assert_eq!(a.topics.topics, b.topics.topics);
    assert_eq!(a.related, b.related);
}

#[test]
fn display_names_read_naturally() {
    for (surface, name) in [
        ("Machine Unlearning", "Machine unlearning"),
        ("IR", "IR"),
        ("In-Context Learning", "In-context learning"),
        ("LLMs for MoE Routing", "LLMs for MoE routing"),
        ("MACHINE UNLEARNING", "Machine unlearning"),
    ] {
        let surfaces: BTreeMap<String, u32> = [(surface.to_string(), 1)].into();
        assert_eq!(sentence_case(&surfaces), name);
    }
    let surfaces: BTreeMap<String, u32> = [("Machine Unlearning".into(), 3), ("machine unlearning".into(), 2)].into();
    assert_eq!(sentence_case(&surfaces), "Machine unlearning", "the most frequent spelling");
}

#[test]
fn a_requirement_said_in_passing_does_not_narrow_a_firmly_required_parent() {
    let rl = rule("Reinforcement learning", &["reinforcement learning"]);
    let mut for_llms = child("RL for language models", "Reinforcement learning", &["reinforcement learning"]);
    for_llms.requires = vec!["llm".into()];
    let mut multimodal = child("RL for multimodal models", "RL for language models", &["reinforcement learning"]);
    multimodal.requires = vec!["visual reasoning".into(), "multimodal".into()];
    let papers = [
        paper(
            "a",
            "Does Reinforcement Learning Incentivize Reasoning in LLMs?",
            "Reinforcement learning has improved the reasoning of LLMs. We measure pass@k of \
             reinforcement learning. Similar results are observed in visual reasoning tasks.",
        ),
        paper(
            "b",
            "Reinforcement Learning for Visual Reasoning in LLMs",
            "Reinforcement learning has improved the reasoning of LLMs. We study reinforcement learning.",
        ),
        paper(
            "c",
            "Does Reinforcement Learning Incentivize Reasoning in LLMs?",
            "Reinforcement learning has improved the reasoning of LLMs. We train on visual reasoning \
             tasks with reinforcement learning. Multimodal models gain most.",
        ),
    ];
    let topics = enrich(&papers, &without_auto(vec![rl, for_llms, multimodal])).topics;
    assert_eq!(names(&topics, 0), ["RL for language models"], "`visual reasoning` once, in passing");
    assert_eq!(names(&topics, 1), ["RL for multimodal models"], "named in the title");
    assert_eq!(names(&topics, 2), ["RL for multimodal models"], "said twice in the abstract");
}
