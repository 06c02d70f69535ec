"""Chapter 00 (setup and the ecosystem map): other students' answers."""

_JOBS = ["train a new WordPiece vocabulary on your own corpus",
         "tokenize a million rows in parallel without loading them all into RAM",
         "compute precision and recall of predictions",
         "run the same training loop on one CPU or eight GPUs",
         "fine-tune only 1% of a model's weights",
         "download one file of a model repo at a pinned revision",
         "generate text with beam search"]
_LIBS = ["tokenizers", "datasets", "evaluate", "accelerate", "peft", "huggingface_hub",
         "transformers"]


def _library_for(libs: list[str]) -> str:
    return "library_for = " + repr(dict(zip(_JOBS, libs)))


def _swap(job: int, library: str) -> str:
    libs = list(_LIBS)
    libs[job] = library
    return _library_for(libs)


RIGHT = {
    "ex1-answer": [
        _library_for(_LIBS),
        _library_for([lib.capitalize() for lib in _LIBS]),  # capitals are normalised
        _library_for([lib.replace("_", "-") + " " for lib in _LIBS]),  # pip spelling, a space
        "import tokenizers, datasets, evaluate, accelerate, peft, huggingface_hub, transformers\n"
        + "modules = [tokenizers, datasets, evaluate, accelerate, peft, huggingface_hub, "
          "transformers]\n"
        + f"library_for = {{job: m.__name__ for job, m in zip({_JOBS!r}, modules)}}",
    ],
    "ex2-answer": [
        'config = AutoConfig.from_pretrained(course.checkpoint("sentiment"))\n'
        'label_names = [config.id2label[i] for i in sorted(config.id2label)]\n'
        'num_layers = config.num_hidden_layers',
        'config = AutoConfig.from_pretrained(course.checkpoint("sentiment"))\n'
        'label_names = tuple(name for _, name in sorted(config.id2label.items()))\n'
        'num_layers = config.to_dict().get("num_hidden_layers", config.to_dict().get("n_layers"))',
        'import numpy as np\n'
        'cfg = AutoConfig.from_pretrained(course.checkpoint("sentiment"))\n'
        'label_names = list(cfg.label2id.keys())\n'
        'label_names.sort(key=cfg.label2id.get)\n'
        'num_layers = np.int64(getattr(cfg, "n_layers", getattr(cfg, "num_hidden_layers", 0)))',
    ],
    "ex3-answer": [
        'model = AutoModelForSequenceClassification.from_pretrained(course.checkpoint("sentiment"))\n'
        'n_parameters = sum(p.numel() for p in model.parameters())',
        'm = AutoModelForSequenceClassification.from_pretrained(course.checkpoint("sentiment"))\n'
        'n_parameters = int(sum(t.numel() for _, t in m.named_parameters()))',
        'import numpy as np\n'
        'model = AutoModelForSequenceClassification.from_pretrained(course.checkpoint("sentiment"))\n'
        'n_parameters = np.sum([np.prod(p.shape) for p in model.parameters()])',
    ],
    "ex4-answer": [
        'repos = scan_cache_dir().repos\n'
        'cached_models = sorted([r.repo_id for r in repos if r.repo_type == "model"])\n'
        'sentiment_size = [r for r in repos if r.repo_id == course.checkpoint("sentiment")][0]'
        '.size_on_disk',
        'from huggingface_hub import scan_cache_dir as scan\n'
        'info = scan()\n'
        'models = {r.repo_id: r for r in info.repos if r.repo_type == "model"}\n'
        'cached_models = sorted(models)\n'
        'sentiment_size = models[course.checkpoint("sentiment")].size_on_disk',
        'cached_models = []\n'
        'for repo in scan_cache_dir().repos:\n'
        '    if repo.repo_type == "model":\n'
        '        cached_models.append(repo.repo_id)\n'
        '        if repo.repo_id == course.checkpoint("sentiment"):\n'
        '            sentiment_size = repo.size_on_disk\n'
        'cached_models.sort()',
    ],
}

WRONG = {
    "ex1-answer": [
        (_swap(0, "transformers"), "The library for 'train a new WordPiece"),
        (_swap(5, "the Hub"), "huggingface_hub"),
        (_swap(2, "datasets"), "Metrics live in their own library"),
        (_swap(3, "torch"), "should be one of"),
    ],
    "ex2-answer": [
        ('config = AutoConfig.from_pretrained(course.checkpoint("sentiment"))\n'
         'label_names = sorted(config.label2id)[::-1]\n'
         'num_layers = config.num_hidden_layers', "Order the names by id"),
        ('config = AutoConfig.from_pretrained(course.checkpoint("sentiment"))\n'
         'label_names = config.id2label\n'
         'num_layers = config.num_hidden_layers', "Build a list"),
        ('config = AutoConfig.from_pretrained(course.checkpoint("sentiment"))\n'
         'label_names = list(config.id2label.values())\n'
         'num_layers = config.num_attention_heads', "num_hidden_layers"),
        ('config = AutoConfig.from_pretrained(course.checkpoint("sentiment"))\n'
         'label_names = list(config.id2label.values())', "`num_layers` is not defined"),
    ],
    "ex3-answer": [
        ('model = AutoModelForSequenceClassification.from_pretrained(course.checkpoint("sentiment"))\n'
         'n_parameters = len(list(model.parameters()))', "parameter *tensors*"),
        ('model = AutoModelForSequenceClassification.from_pretrained(course.checkpoint("sentiment"))\n'
         'n_parameters = sum(p.numel() for p in model.parameters()) / 1e6', "should be an int"),
        ('model = AutoModelForSequenceClassification.from_pretrained(course.checkpoint("sentiment"))\n'
         'n_parameters = sum(p.numel() for p in model.base_model.parameters())',
         "The number of parameters should be"),
        ('model = AutoModelForSequenceClassification.from_pretrained(course.checkpoint("sentiment"))\n'
         'n_parameters = model.num_parameters(exclude_embeddings=True)',
         "The number of parameters should be"),
    ],
    "ex4-answer": [
        ('cache = scan_cache_dir()\n'
         'cached_models = sorted(r.repo_id for r in cache.repos)\n'
         'sentiment_size = 0', "Keep only `repo.repo_type == 'model'`"),
        ('cache = scan_cache_dir()\n'
         'cached_models = [r.repo_id for r in cache.repos if r.repo_type == "model"][::-1]\n'
         'sentiment_size = 0', "and sort the list"),
        ('cache = scan_cache_dir()\n'
         'cached_models = sorted(r.repo_path.name for r in cache.repos if r.repo_type == "model")\n'
         'sentiment_size = 0', "not the cache's folder names"),
        ('cache = scan_cache_dir()\n'
         'cached_models = sorted(r.repo_id for r in cache.repos if r.repo_type == "model")\n'
         'sentiment_size = cache.size_on_disk', "`sentiment_size` should be"),
    ],
}
