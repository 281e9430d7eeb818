"""English help articles: one term each for "working days", "customer service" and "email" (issue 11).

The shipped texts (helpdesk/content.py) now say "working days" (not "business days"), "Rakuten customer
service" (not "Rakuten's after-sales support" or "the support team"), "email" and "agent" (not "e-mail" and
"adviser"), as the interface and the e-mails do. A database made before keeps the old texts: this updates
each English article whose title, summary and body are still exactly the text shipped then (their SHA-256
below); an article an agent has edited is left as it is. A fresh install already loads the new texts.
"""
import hashlib

from django.db import migrations

REPLACEMENTS = [
    ("Rakuten's after-sales support", "Rakuten customer service"),
    ("the support team", "customer service"),
    ("business day", "working day"),
    ("Business day", "Working day"),
    ("e-mail", "email"),
    ("E-mail", "Email"),
    ("An adviser", "An agent"),
    ("an adviser", "an agent"),
    ("advisers", "agents"),
]
FIELDS = ("title", "summary", "body")
# slug -> field -> SHA-256 of the English text shipped before this migration.
SHIPPED_BEFORE = {
    "nous-contacter": {
        "title": "c0203ead0b082ba2382f2ee5179e7864bd34b4ef6b9c182ef4d5f34c986d98ea",
        "summary": "9688b011141b2d919b576f1ab3bf555da4c5239d8c96302267a691af76bded1c",
        "body": "d17e3cde19d49027b5acba4a6c4110e598b838ce9b7ff9f3a532778b10455234",
    },
    "formulaire-de-contact": {
        "title": "88cde58f4aea14bd4b0185621d2bbbd592edc43291ae3189fa11932499fbcda7",
        "summary": "6789ef068dfbfc91693e79cfe8e01494720d90796690862a5d1a4d24bcab2480",
        "body": "51b4f73dd9365c7e488d10470941c64b9adbbe35800dc4700178affd34ab1428",
    },
    "autres-moyens-de-contact": {
        "title": "38de8b823335b654ce79ff076c0e6249748a5054b9dc1599b434426461ef1068",
        "summary": "e4a5efdacae70008e9d5ff38c090464a69c649704597528140b6093834fc7c8f",
        "body": "a2b1123d05684244c9d0a51b251cb24901e0a6b3f6b71c82c13cb7773e0064ec",
    },
    "payer-par-carte": {
        "title": "a30adb4c00dd068a119541afb16829bd6dfa772962080ff82311e9e179f39a1a",
        "summary": "b6182c27ee4c5b2e7429b2c9cb9552f950212f9a6b50956999ec99d6681c8d9b",
        "body": "76718b4d11f2ec5c466b4bcaaf52747c0207a7cd6b74c34b7030c09377fbb1f9",
    },
    "porte-monnaie": {
        "title": "62a02ee56d916b0bfadb5c59ca1a95daa2b9dba8832c9221e11b27a3ab61333a",
        "summary": "7c7d036e0dd0201ed75f82b5cdd4be996e3f95c87353bdb22b84bd273f15acde",
        "body": "8e25cd7921ca17bc9451ae3815d51dd4bb31f985b999f08f2d46367f6e36ac72",
    },
    "faire-une-reclamation": {
        "title": "7fefdef2a328630d92e50c7ac12c7e1efad5d620a57fbbc1a53f10d44f734b54",
        "summary": "591a9ed7177c1a7ffb466bf0dbbad26821fdda47ac4e1a126026fba830794ed1",
        "body": "a2e745d9bf50ae2e0e4349f42eae4bb646d7d026cad4b5047caab159b7972de9",
    },
    "article-endommage": {
        "title": "553c806871d6f49f2201d569ce84c52809e338ff48a35466f7c6833aea93b5d7",
        "summary": "e86cf22bf64840e5b26ef431cb0ee7209e09f997a16d275abe306dce724ff1e2",
        "body": "4a8fea830b7cf8f0c4e40aa0d68124db9f9707c21def9c1c1b06858738a7d580",
    },
    "article-different": {
        "title": "ba5f040a40cb866c353aa80de57db1f0ef48536757a76216cdd34ab7750ac6d4",
        "summary": "a4d55935f4e4527173529040a39d35de6adb3ed6e4788b26cc4521283829d518",
        "body": "2567e56ab39bd5ea1ea9a39e0dfc2e35036b5fe56d154b3dea0d3f6e904d02de",
    },
    "article-contrefait": {
        "title": "ec8ec95a2c9bf3a8cb25a02a92b6c173e255991fb5405acc9a2a161b2cb35901",
        "summary": "500c4ca3acd38af6d1ce75ed7b57f08017952ded0277917be36fd6728d428236",
        "body": "9d5ea144cb4b7071608e0f56d38bb8447c92f459a827f664aea4f4ce13da9a82",
    },
    "colis-non-recu": {
        "title": "32b759d2e4d284d72f1ed86a9070e25b5efb796aad6eb79f8590facbd2d23b04",
        "summary": "8b569dcc3d32a67ed538590ef08b435e8da92ad642cbf592517d612f2bb3ed43",
        "body": "0d35081d801744cb40cb24894d41ba06eac73ea0e6c3f952933a5aa0dd6f4628",
    },
    "autre-probleme": {
        "title": "f04743474e9b855467936744cf0846ab7f17db1af0096184e00bdd3e933f84a3",
        "summary": "47bbc8d8b2f74e22a0fe9590f6e54b8cac952cb33504ea5b8d54a02b53941b9e",
        "body": "2b5f6ad6dd49db7a1d2a27d6bbb2d38abf2f751a4ed015f4836c6e3c91af43d3",
    },
    "delais-et-prise-en-charge": {
        "title": "ce7262e150cc9189612132936121a8c6b9eaadafbabd75466ab9e4dba1f377ab",
        "summary": "9067288fda499942e4d5b863bab5846ada8a897505febe9718a121613e64db62",
        "body": "c004dd963853930ce84597de17f1f4883c310a8bc642a3f5b8e47f41f65b4f33",
    },
    "cloture-de-la-vente": {
        "title": "ccbc1b46a6cfbce56ff6dcc5e0e58c35c7e71af2fabb92db755ac94b0555081d",
        "summary": "ded1afe2f448af5dbde18b2d77deb5fedee9f1d853665bd0054c34241b8c1ea8",
        "body": "e607db31b7e7a51a67f0bc8430d15bb9f495f97f923d1c6f43c163c5d7698fa8",
    },
    "garantie-rakuten": {
        "title": "dfa498620fffd64db702e035f6ea57b4a9488c1deb5ff49106d6e46c21e01097",
        "summary": "779b609acfe1424c8b145656548554988747248e06b5db6fb497c90e2f584097",
        "body": "9d9ee54578fc10df3099d726300828d71e2201ee646e2396320fd069384c54b0",
    },
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _replaced(text: str) -> str:
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


def use_one_term_each(apps, schema_editor):
    Article = apps.get_model("helpdesk", "Article")
    for article in Article.objects.filter(language="en", slug__in=SHIPPED_BEFORE):
        shipped = SHIPPED_BEFORE[article.slug]
        if all(_digest(getattr(article, name)) == shipped[name] for name in FIELDS):
            for name in FIELDS:
                setattr(article, name, _replaced(getattr(article, name)))
            article.save(update_fields=[*FIELDS, "updated_at"])


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0003_agent_permission")]

    operations = [migrations.RunPython(use_one_term_each, migrations.RunPython.noop)]
