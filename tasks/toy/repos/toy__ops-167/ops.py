def sub(a, b): return a - b
def double(x): return x * 2
def half(x): return x // 2
def div(a, b): return a / b
