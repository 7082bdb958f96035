from textkit import camel_case, slugify, snake_case


def test_snake_case_simple():
    assert snake_case("helloWorld") == "hello_world"


def test_snake_case_kebab():
    assert snake_case("hello-big-world") == "hello_big_world"


def test_camel_case():
    assert camel_case("hello_big_world") == "helloBigWorld"
    assert camel_case("hello_world", upper_first=True) == "HelloWorld"


def test_slugify():
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("Crème brûlée") == "creme-brulee"
